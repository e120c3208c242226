"""Listing the files of a source folder: regular files, minus the ignore list and rules."""

from __future__ import annotations

import os
from pathlib import Path

from frogml.adapters.filesystem._entries import (
    FILE,
    FOLDER,
    classify,
    is_loop,
    refusal,
    unreadable_file,
)
from frogml.adapters.logs import get_logger
from frogml.domain.errors import LocalFileError, ValidationError
from frogml.domain.model.ignore import is_ignored
from frogml.domain.model.names import check_artifact_path
from frogml.domain.model.patterns import IGNORE_FILE, PathRules
from frogml.domain.model.plan import SkippedFile

__all__ = ["list_folder", "read_ignore_file", "rel_path_of", "walk_folder"]

_EVERYTHING = PathRules()
_log = get_logger("frogml")


def rel_path_of(parts: list[str], shown: str | Path) -> str:
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


def _unreadable(path: str | Path, exc: OSError) -> LocalFileError:
    return LocalFileError(
        f"cannot read {str(path)!r}: {exc.strerror or exc}",
        path=str(path),
        hint="check that it exists and that you may read it",
    )


def list_folder(root: Path) -> list[tuple[str, str]]:
    """``(rel_path, path)`` of every regular file below ``root``, sorted by rel_path."""
    return walk_folder(root, _EVERYTHING)[0]


def read_ignore_file(root: Path) -> list[str]:
    """The lines of ``root/.frogmlignore``; none when there is no such file."""
    try:
        return (root / IGNORE_FILE).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise _unreadable(root / IGNORE_FILE, exc) from exc
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"cannot read {str(root / IGNORE_FILE)!r}: {exc}", hint="fix or remove it"
        ) from exc


def walk_folder(root: Path, rules: PathRules) -> tuple[list[tuple[str, str]], list[SkippedFile]]:
    """``(rel_path, path)`` of every regular file below ``root`` that ``rules`` take,
    sorted by rel_path, and what was left out (a left-out folder once, ending in ``/``).

    A ``.frogmlignore`` below the top applies to its folder, as a nested ``.gitignore``.
    Symbolic links to files and folders are followed: ``path`` is then the real file
    (not ``root/rel_path``), a string spelled as ``Path`` would (a Path per file cost as
    much as the manifest: issue 15). A link to a folder holding the link is a loop.
    Everything the rules take that cannot be uploaded (special files, unreadable files,
    broken links, loops) is refused together at the end (UnsupportedFilesError).
    """
    found: list[tuple[str, str]] = []
    skipped: list[SkippedFile] = []
    refused: list[tuple[str, str]] = []
    top = os.path.realpath(root)
    pending: list[tuple[str, list[str], tuple[str, ...]]] = [(str(root), [], (top,))]
    while pending:
        folder, prefix, chain = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            if not prefix:
                raise _unreadable(folder, exc) from exc
            refused.append(("/".join(prefix) + "/", f"unreadable ({exc.strerror or exc})"))
            continue
        if prefix and any(entry.name == IGNORE_FILE for entry in entries):
            nested = read_ignore_file(Path(folder))
            rules = rules.with_nested_ignore_file("/".join(prefix), nested)
        for entry in entries:
            parts = [*prefix, entry.name]
            rel = "/".join(parts)
            if is_ignored(rel) or entry.name == IGNORE_FILE:
                why = "ignore file" if entry.name == IGNORE_FILE else "always ignored"
                folder_mark = "/" if entry.is_dir(follow_symlinks=False) else ""
                skipped.append(SkippedFile(path=rel + folder_mark, reason=why))
                continue
            kind, real = classify(entry)
            path = real if real is not None else entry.name if folder == "." else entry.path
            if kind == FOLDER and rules.prunes(rel):
                skipped.append(SkippedFile(path=rel + "/", reason="excluded"))
            elif kind == FOLDER and real is not None and is_loop(real, chain):
                refused.append((rel + "/", f"a link back to {real!r}, a loop"))
            elif kind == FOLDER:
                _followed(rel + "/", real)
                pending.append((path, parts, (*chain, real or os.path.join(chain[-1], entry.name))))
            elif (reason := rules.reason_to_skip(rel)) is not None:
                skipped.append(SkippedFile(path=rel, reason=reason))
            elif kind == FILE and (unreadable := unreadable_file(str(path))) is not None:
                refused.append((rel, unreadable))
            elif kind == FILE:
                _followed(rel, real)
                found.append((rel_path_of(parts, path), path))
            else:
                refused.append((rel, kind))
    if refused:
        raise refusal(str(root), refused)
    found.sort(key=lambda pair: pair[0])
    skipped.sort(key=lambda s: s.path)
    return found, skipped


def _followed(rel: str, real: str | None) -> None:
    if real is not None:  # shown with --verbose: where a published file really comes from
        _log.info("symlink_followed", path=rel, target=real)
