"""A downloaded file: written beside its final name, verified, then renamed into place."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import BinaryIO

from adapters.filesystem._atomic import fsync_dir
from adapters.filesystem._hashing import feed
from domain.errors import FrogMLError, IntegrityError, ValidationError
from domain.model.names import check_artifact_path
from domain.ports.filesystem import FileSink

__all__ = ["LocalFileSink", "final_path", "partial_path"]

_MAX_NAME = 100  # keeps the partial file's name under the common 255-byte limit


def final_path(target: str, rel_path: str) -> Path:
    """Where ``rel_path`` lands in ``target``; refused when a symlink would lead out of it."""
    check_artifact_path(rel_path)
    root = os.path.realpath(target)
    *folders, name = rel_path.split("/")
    parent = os.path.realpath(os.path.join(root, *folders))
    if os.path.commonpath([root, parent]) != root:
        raise ValidationError(
            f"{rel_path!r} would be written outside {target!r} through a symbolic link",
            field="artifact path",
            hint="remove the symbolic link from the target folder",
        )
    return Path(parent) / name


def partial_path(final: Path, sha256: str) -> Path:
    """The partial file of ``final``: same folder (so the rename is atomic), hidden."""
    return final.with_name(f".{final.name[:_MAX_NAME]}.{sha256[:16]}.frogml-partial")


def _write_error(path: Path, exc: OSError) -> FrogMLError:
    return FrogMLError(
        f"cannot write {str(path)!r}: {exc.strerror or exc}",
        hint="check free space and permissions of the target folder",
    )


class LocalFileSink(FileSink):
    """Appends to the partial file and hashes in the same pass; resumes a shorter one."""

    def __init__(self, final: Path, rel_path: str, *, size: int, sha256: str) -> None:
        self._final = final
        self._rel_path = rel_path
        self._size = size
        self._sha256 = sha256
        self._partial = partial_path(final, sha256)
        self._hasher = hashlib.sha256()
        self._done = False
        try:
            held = self._partial.stat().st_size if self._partial.exists() else 0
            self._offset = feed(self._partial, self._hasher) if 0 < held < size else 0
            self._file: BinaryIO = self._open()
            if self._offset == 0:
                self._file.truncate(0)
        except OSError as exc:
            raise _write_error(self._partial, exc) from exc

    def _open(self) -> BinaryIO:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        return os.fdopen(os.open(self._partial, flags, 0o644), "ab")

    @property
    def rel_path(self) -> str:
        return self._rel_path

    @property
    def offset(self) -> int:
        return self._offset

    def write(self, data: bytes) -> None:
        try:
            self._file.write(data)
        except OSError as exc:
            raise _write_error(self._partial, exc) from exc
        self._hasher.update(data)
        self._offset += len(data)

    def restart(self) -> None:
        try:
            if self._file.closed:
                self._file = self._open()
            self._file.flush()
            self._file.truncate(0)
        except OSError as exc:
            raise _write_error(self._partial, exc) from exc
        self._hasher = hashlib.sha256()
        self._offset = 0

    def commit(self) -> None:
        if self._done:
            return
        actual = self._hasher.hexdigest()
        if self._offset != self._size or actual != self._sha256:
            received = self._offset
            self._discard()  # bad bytes never stay; restart() may begin again
            raise IntegrityError(
                f"{self._rel_path!r}: got {received} bytes with SHA-256 {actual}, "
                f"expected {self._size} bytes with SHA-256 {self._sha256}; discarded",
                path=str(self._final),
                expected=self._sha256,
                actual=actual,
            )
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            os.replace(self._partial, self._final)
        except IsADirectoryError as exc:
            raise ValidationError(
                f"cannot write {str(self._final)!r}: a folder of that name is in the way",
                hint="move the folder away or choose another target",
            ) from exc
        except OSError as exc:
            raise _write_error(self._final, exc) from exc
        self._done = True
        fsync_dir(self._final.parent)

    def close(self) -> None:
        if self._file.closed:
            return
        self._file.close()
        if self._offset == 0:  # nothing worth resuming
            with contextlib.suppress(OSError):
                self._partial.unlink()
        # otherwise the partial file stays, so a later attempt resumes

    def _discard(self) -> None:
        self._file.close()
        self._hasher = hashlib.sha256()
        self._offset = 0
        with contextlib.suppress(OSError):
            self._partial.unlink()
