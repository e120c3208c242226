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

__all__ = ["resolve_within"]

_SHOWN = 100  # characters of a too-long path shown in a message


def _limit(folder: str, name: str, default: int) -> int:
    try:
        return os.pathconf(folder, name)
    except (OSError, ValueError, AttributeError):  # no pathconf (Windows), or no limit
        return default


def _check_lengths(root: str, rel_path: str) -> None:
    """Refuse what this disk cannot hold, before anything is created for it."""
    longest_name = _limit(root, "PC_NAME_MAX", 255)
    longest_path = _limit(root, "PC_PATH_MAX", 4096)
    full = len(os.fsencode(root)) + 1 + len(os.fsencode(rel_path))
    too_long = next((s for s in rel_path.split("/") if len(os.fsencode(s)) > longest_name), None)
    if full < longest_path and too_long is None:
        return
    shown = rel_path if len(rel_path) <= _SHOWN else rel_path[:_SHOWN] + "…"
    why = (
        f"a name is longer than the {longest_name} bytes this disk allows"
        if too_long is not None
        else f"the path is longer than the {longest_path - 1} bytes this disk allows"
    )
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
