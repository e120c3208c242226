"""An in-memory filesystem: a dict from POSIX path to bytes, with the local rules."""

from __future__ import annotations

import hashlib
import io
import posixpath
import threading
from dataclasses import dataclass
from typing import BinaryIO

from frogml.domain.errors import IntegrityError, ValidationError
from frogml.domain.model.ignore import is_ignored
from frogml.domain.model.names import check_artifact_path
from frogml.domain.model.patterns import IGNORE_FILE, PathRules
from frogml.domain.model.plan import SkippedFile
from frogml.domain.model.target import Found, Presence
from frogml.domain.ports.filesystem import FileSink, FileSystem, Selection, SourceFile

__all__ = ["InMemoryFileSystem", "InMemorySourceFile"]


def _norm(path: str) -> str:
    return posixpath.normpath("/" + path.lstrip("/"))


@dataclass(frozen=True)
class InMemorySourceFile:
    """A scanned file; ``open`` reads the disk again, so later edits are seen."""

    rel_path: str
    size: int
    sha256: str
    path: str
    disk: InMemoryFileSystem

    def open(self) -> BinaryIO:
        if not self.disk.exists(self.path):
            raise ValidationError(f"cannot read {self.path!r}: it vanished after the scan")
        return io.BytesIO(self.disk.read(self.path))


class InMemoryFileSystem(FileSystem):
    """Files as ``{absolute POSIX path: bytes}``; folders exist when they hold a file or
    were created. Relative paths are taken from ``/``."""

    def __init__(self, *, fold_case: bool = False) -> None:
        self.fold_case = fold_case  # act as a disk that ignores case (macOS, Windows)
        self.files: dict[str, bytes] = {}
        self.folders: set[str] = {"/"}
        self.partials: dict[tuple[str, str], bytearray] = {}  # (final path, sha256)
        self._lock = threading.Lock()

    # -- test helpers -------------------------------------------------------------
    def add_file(self, path: str, data: bytes) -> str:
        """Write a file (creating its folders); return its normalised path."""
        name = _norm(path)
        parent = posixpath.dirname(name)
        if self._is_file(parent) or self.is_folder(name):
            raise ValidationError(f"{name!r} clashes with an existing file or folder", field="path")
        with self._lock:
            self.files[name] = bytes(data)
        return name

    def read(self, path: str) -> bytes:
        return self.files[_norm(path)]

    def exists(self, path: str) -> bool:
        return _norm(path) in self.files or self.is_folder(path)

    def is_folder(self, path: str) -> bool:
        name = _norm(path)
        prefix = name.rstrip("/") + "/"
        return name in self.folders or any(p.startswith(prefix) for p in self.files)

    def _is_file(self, path: str) -> bool:
        # Any ancestor being a file also makes the path unusable as a folder.
        name = _norm(path)
        while name != "/":
            if name in self.files:
                return True
            name = posixpath.dirname(name)
        return False

    # -- FileSystem ---------------------------------------------------------------
    def scan(self, source: str) -> list[SourceFile]:
        return self.select(source, PathRules()).files

    def select(self, source: str, rules: PathRules) -> Selection:
        name = _norm(source)
        if name in self.files:
            base = posixpath.basename(name)
            if not rules.takes(base):
                raise ValidationError(f"source {source!r} is left out by the given patterns")
            return Selection([self._source(base, name)], [])
        if not self.is_folder(name):
            raise ValidationError(f"source {source!r} does not exist")
        prefix = name.rstrip("/") + "/"
        ignore_file = self.files.get(prefix + IGNORE_FILE, b"").decode().splitlines()
        rules = rules.with_ignore_file(ignore_file)
        rel_paths = sorted(p[len(prefix) :] for p in self.files if p.startswith(prefix))
        nested = [r for r in rel_paths if posixpath.basename(r) == IGNORE_FILE and "/" in r]
        for rel in sorted(nested, key=lambda r: r.count("/")):  # outer folders first
            lines = self.files[prefix + rel].decode().splitlines()
            rules = rules.with_nested_ignore_file(posixpath.dirname(rel), lines)
        kept: list[str] = []
        skipped: list[SkippedFile] = []
        for rel in rel_paths:
            reason = (
                "always ignored"
                if is_ignored(rel)
                else "ignore file"
                if posixpath.basename(rel) == IGNORE_FILE
                else rules.reason_to_skip(rel)
            )
            if reason is None:
                kept.append(rel)
            else:
                skipped.append(SkippedFile(path=rel, reason=reason))
        if not kept:
            raise ValidationError(
                f"folder {source!r} holds no file to upload",
                hint="it is empty, or every file is ignored or left out by the patterns",
            )
        return Selection([self._source(r, prefix + r) for r in kept], skipped)

    def single_file(self, path: str, *, role: str) -> SourceFile:
        name = _norm(path)
        if name in self.files:
            return self._source(posixpath.basename(name), name)
        if self.is_folder(name):
            raise ValidationError(f"{role} {path!r} is a folder; give a file")
        raise ValidationError(f"{role} {path!r} does not exist")

    def folds_case(self, target: str) -> bool:
        return self.fold_case

    def prepare_target(self, target: str) -> None:
        if self._is_file(target):
            raise ValidationError(f"target {target!r} is a file (or lies below one); give a folder")
        with self._lock:
            self.folders.add(_norm(target))

    def holds(self, target: str, rel_path: str, *, size: int, sha256: str) -> bool:
        data = self.files.get(self._final(target, rel_path))
        return data is not None and len(data) == size and _sha(data) == sha256

    def check_target(self, target: str) -> None:
        if self._is_file(target):
            raise ValidationError(f"target {target!r} is a file (or lies below one); give a folder")

    def inspect(self, target: str, rel_path: str, *, size: int, sha256: str) -> Found:
        final = self._final(target, rel_path)
        parts = rel_path.split("/")
        for depth in range(1, len(parts)):
            if self._final(target, "/".join(parts[:depth])) in self.files:
                return Found(presence=Presence.FILE_IN_THE_WAY, path="/".join(parts[:depth]))
        if final in self.files:
            same = self.holds(target, rel_path, size=size, sha256=sha256)
            return Found(presence=Presence.SAME if same else Presence.DIFFERS, path=rel_path)
        if self.is_folder(final):
            inside = final + "/"
            full = any(p.startswith(inside) for p in (*self.files, *self.folders))
            return Found(presence=Presence.FOLDER if full else Presence.EMPTY_FOLDER, path=rel_path)
        return Found(presence=Presence.ABSENT, path=rel_path)

    def make_way(self, target: str, rel_path: str) -> None:
        final = self._final(target, rel_path)
        with self._lock:
            self.files.pop(final, None)
            self.folders.discard(final)

    def open_sink(self, target: str, rel_path: str, *, size: int, sha256: str) -> FileSink:
        final = self._final(target, rel_path)
        if self._is_file(posixpath.dirname(final)):
            raise ValidationError(f"cannot create the folder of {final!r}: a file is in the way")
        return _Sink(self, final, rel_path, size=size, sha256=sha256)

    def settle(self, target: str) -> None:
        """Nothing to make durable: a committed file is in ``files`` at once."""

    def _final(self, target: str, rel_path: str) -> str:
        check_artifact_path(rel_path)
        return _norm(posixpath.join(_norm(target), rel_path))

    def _source(self, rel_path: str, path: str) -> InMemorySourceFile:
        try:
            check_artifact_path(rel_path, field="file path")
        except ValidationError as exc:
            raise ValidationError(f"cannot upload {path!r}: {exc.message}") from exc
        data = self.files[path]
        return InMemorySourceFile(rel_path, len(data), _sha(data), path, self)

    def _publish(self, final: str, data: bytes) -> None:
        if self.is_folder(final):
            raise ValidationError(f"cannot write {final!r}: a folder of that name is in the way")
        with self._lock:
            self.files[final] = data


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Sink(FileSink):
    """Keeps partial data in ``disk.partials`` so a later sink for the same file resumes."""

    def __init__(
        self, disk: InMemoryFileSystem, final: str, rel_path: str, *, size: int, sha256: str
    ) -> None:
        self._disk, self._final, self._rel_path = disk, final, rel_path
        self._size, self._sha256 = size, sha256
        self._key = (final, sha256)
        held = disk.partials.get(self._key)
        if held is None or not 0 < len(held) < size:
            held = disk.partials[self._key] = bytearray()
        self._buffer = held
        self._done = False

    @property
    def rel_path(self) -> str:
        return self._rel_path

    @property
    def offset(self) -> int:
        return len(self._buffer)

    def write(self, data: bytes) -> None:
        self._buffer += data

    def restart(self) -> None:
        self._buffer.clear()

    def commit(self) -> None:
        if self._done:
            return
        data = bytes(self._buffer)
        self._disk.partials.pop(self._key, None)
        actual = _sha(data)
        if len(data) != self._size or actual != self._sha256:
            raise IntegrityError(
                f"{self._rel_path!r}: got {len(data)} bytes with SHA-256 {actual}, "
                f"expected {self._size} bytes with SHA-256 {self._sha256}; discarded",
                path=self._final,
                expected=self._sha256,
                actual=actual,
            )
        self._disk._publish(self._final, data)
        self._done = True

    def close(self) -> None:
        pass  # the partial data stays in disk.partials for a resume
