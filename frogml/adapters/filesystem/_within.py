"""Where a relative path lands inside a folder, in time linear in the path's length.

``os.path.realpath`` of a path of D segments builds D ever longer strings and makes D
system calls: a manifest path of ``a/`` repeated 500,000 times took minutes. Here a
path longer than the disk can hold is refused at once, and the walk stops at the first
folder that does not exist yet (nothing below it can be a symbolic link).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from frogml.domain.errors import LocalFileError, ValidationError

__all__ = ["partial_name", "resolve_within"]

_SHOWN = 100  # characters of a too-long path shown in a message

_KEPT = 100  # bytes of a file's name its partial files' names keep (whole characters)
# Beside a file, its download writes its partial file ".{kept}.{sha256[:16]}.frogml-partial"
# or a private one (".{8 hex}" more): the longest adds this to the partial's name. (The
# marker of a ranged download, and its temporary file, are longer still, but optional:
# where the disk refuses their names, the download goes on without resuming a killed run.)
_PRIVATE_MARKER_TEMP = len(".01234567")


def partial_name(name: str, sha256: str) -> str:
    """The name of the partial file of a file ``name`` of content ``sha256``, hidden; it
    keeps at most 100 bytes of ``name``, so all its download writes beside ``name`` has
    a name under the common 255-byte limit, however many bytes its characters take."""
    return f".{_kept(name)}.{sha256[:16]}.frogml-partial"


def _kept(name: str) -> str:
    """The start of ``name`` that is at most ``_KEPT`` bytes on disk, no character cut
    (a byte of a name that is not UTF-8, decoded as a lone surrogate, is one byte)."""
    if len(os.fsencode(name)) <= _KEPT:
        return name
    used = 0
    for end, char in enumerate(name):
        used += len(os.fsencode(char))
        if used > _KEPT:
            return name[:end]
    return name


def _longest_beside(name: str) -> int:
    """Bytes of the longest name a download of file ``name`` writes in its folder."""
    partial = len(os.fsencode(partial_name(name, "0" * 64))) + _PRIVATE_MARKER_TEMP
    return max(len(os.fsencode(name)), partial)


def _limit(folder: str, name: str, default: int) -> int:
    try:
        return os.pathconf(folder, name)
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows), or no limit
        return default


def _check_lengths(root: str, rel_path: str) -> None:
    """Refuse what this disk cannot hold, before anything is created for it: ``rel_path``,
    and the partial files its download writes beside it, whose names may be longer."""
    longest_name = _limit(root, "PC_NAME_MAX", 255)
    longest_path = _limit(root, "PC_PATH_MAX", 4096)
    name = rel_path.rsplit("/", 1)[-1]
    own = len(os.fsencode(root)) + 1 + len(os.fsencode(rel_path))
    beside = _longest_beside(name)
    full = own - len(os.fsencode(name)) + beside
    too_long = next((s for s in rel_path.split("/") if len(os.fsencode(s)) > longest_name), None)
    if full < longest_path and too_long is None and beside <= longest_name:
        return
    shown = rel_path if len(rel_path) <= _SHOWN else rel_path[:_SHOWN] + "…"
    if too_long is not None:
        why = f"a name is longer than the {longest_name} bytes this disk allows"
    elif beside > longest_name:
        why = (
            f"the partial files its download writes beside it have names of up to {beside}"
            f" bytes, longer than the {longest_name} this disk allows"
        )
    elif own < longest_path:
        why = (
            f"the partial files its download writes beside it have paths of up to {full}"
            f" bytes, longer than the {longest_path - 1} this disk allows"
        )
    else:
        why = f"the path is longer than the {longest_path - 1} bytes this disk allows"
    raise LocalFileError(
        f"cannot write {shown!r} into {root!r}: {why}",
        path=os.path.join(root, rel_path),
        hint="download into a folder with a shorter path, or leave that file out with --exclude",
    )


def resolve_within(target: str, rel_path: str) -> Path:
    """The path of ``rel_path`` (safe, relative, POSIX) inside ``target``, its folders
    resolved; refused when a symbolic link would lead out of ``target``."""
    root = os.path.realpath(target)
    _check_lengths(root, rel_path)
    *folders, name = rel_path.split("/")
    parent = root
    for index, folder in enumerate(folders):
        candidate = os.path.join(parent, folder)
        try:
            link = stat.S_ISLNK(os.lstat(candidate).st_mode)
        except OSError:  # absent (or a file in the way, which writing reports)
            parent = os.path.join(candidate, *folders[index + 1 :])
            break
        parent = os.path.realpath(candidate) if link else candidate
    if os.path.commonpath([root, parent]) != root:
        raise ValidationError(
            f"{rel_path!r} would be written outside {target!r} through a symbolic link",
            field="artifact path",
            hint="remove the symbolic link from the target folder",
        )
    return Path(parent) / name
