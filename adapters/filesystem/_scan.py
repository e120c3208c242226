"""Listing the files of a source folder: regular files, minus the ignore list."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from domain.errors import ValidationError
from domain.model.ignore import is_ignored
from domain.model.names import check_artifact_path

__all__ = ["list_folder", "rel_path_of"]


def rel_path_of(parts: list[str], shown: Path) -> str:
    """The POSIX relative path of ``parts``, refused when it is unsafe or not UTF-8."""
    rel_path = "/".join(parts)
    try:
        rel_path.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(
            f"file name {str(shown)!r} is not valid UTF-8", hint="rename the file"
        ) from exc
    try:
        return check_artifact_path(rel_path, field="file path")
    except ValidationError as exc:
        raise ValidationError(
            f"cannot upload {str(shown)!r}: {exc.message}", field="file path", hint="rename it"
        ) from exc


def _unreadable(path: Path, exc: OSError) -> ValidationError:
    return ValidationError(
        f"cannot read {str(path)!r}: {exc.strerror or exc}",
        hint="check that it exists and that you may read it",
    )


def list_folder(root: Path) -> list[tuple[str, Path]]:
    """``(rel_path, path)`` of every regular file below ``root``, sorted by rel_path.

    Symbolic links to folders are skipped (a link loop or a link to ``/`` must not
    upload the world); links to files upload the file they point to.
    """
    found: list[tuple[str, Path]] = []
    pending: list[tuple[Path, list[str]]] = [(root, [])]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            raise _unreadable(folder, exc) from exc
        for entry in entries:
            parts = [*prefix, entry.name]
            if is_ignored("/".join(parts)):
                continue
            path = Path(entry.path)
            kind = _kind(entry, path)
            if kind == "folder":
                pending.append((path, parts))
            elif kind == "file":
                found.append((rel_path_of(parts, path), path))
    found.sort(key=lambda pair: pair[0])
    return found


def _kind(entry: os.DirEntry[str], path: Path) -> str:
    try:
        if entry.is_dir(follow_symlinks=False):
            return "folder"
        if not entry.is_symlink():
            return "file" if entry.is_file(follow_symlinks=False) else "other"
        target = os.stat(path)
    except FileNotFoundError as exc:
        raise ValidationError(
            f"{str(path)!r} is a broken symbolic link", hint="fix or remove it"
        ) from exc
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    return "file" if stat.S_ISREG(target.st_mode) else "other"
