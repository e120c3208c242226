"""Listing the files of a source folder: regular files, minus the ignore list and rules."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from frogml.domain.errors import ValidationError
from frogml.domain.model.ignore import is_ignored
from frogml.domain.model.names import check_artifact_path
from frogml.domain.model.patterns import IGNORE_FILE, PathRules
from frogml.domain.model.plan import SkippedFile

__all__ = ["list_folder", "read_ignore_file", "rel_path_of", "walk_folder"]

_EVERYTHING = PathRules()


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
    """``(rel_path, path)`` of every regular file below ``root``, sorted by rel_path."""
    return walk_folder(root, _EVERYTHING)[0]


def read_ignore_file(root: Path) -> list[str]:
    """The lines of ``root/.frogmlignore``; none when there is no such file."""
    try:
        return (root / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"cannot read {str(root / IGNORE_FILE)!r}: {exc}", hint="fix or remove it"
        ) from exc


def walk_folder(root: Path, rules: PathRules) -> tuple[list[tuple[str, Path]], list[SkippedFile]]:
    """``(rel_path, path)`` of every regular file below ``root`` that ``rules`` take,
    sorted by rel_path, and what was left out (a left-out folder once, ending in ``/``).

    Symbolic links to folders are skipped (a link loop or a link to ``/`` must not
    upload the world); links to files upload the file they point to.
    """
    found: list[tuple[str, Path]] = []
    skipped: list[SkippedFile] = []
    pending: list[tuple[Path, list[str]]] = [(root, [])]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            raise _unreadable(folder, exc) from exc
        for entry in entries:
            parts = [*prefix, entry.name]
            rel = "/".join(parts)
            if is_ignored(rel) or (not prefix and entry.name == IGNORE_FILE):
                why = "ignore file" if entry.name == IGNORE_FILE else "always ignored"
                folder_mark = "/" if entry.is_dir(follow_symlinks=False) else ""
                skipped.append(SkippedFile(path=rel + folder_mark, reason=why))
                continue
            path = Path(entry.path)
            kind = _kind(entry, path)
            if kind == "folder" and rules.prunes(rel):
                skipped.append(SkippedFile(path=rel + "/", reason="excluded"))
            elif kind == "folder":
                pending.append((path, parts))
            elif kind == "file" and (reason := rules.reason_to_skip(rel)) is not None:
                skipped.append(SkippedFile(path=rel, reason=reason))
            elif kind == "file":
                found.append((rel_path_of(parts, path), path))
    found.sort(key=lambda pair: pair[0])
    skipped.sort(key=lambda s: s.path)
    return found, skipped


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
