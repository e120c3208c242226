"""A download target before anything is written: may it be written, what does it hold
where each file goes, and removing what the user asked to replace."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from frogml.adapters.filesystem._sink import final_path
from frogml.domain.errors import LocalFileError, ValidationError
from frogml.domain.model.target import Found, Presence

__all__ = ["check_target", "inspect", "make_way"]

_WRITABLE = os.W_OK | os.X_OK


def _below_a_file(target: str) -> ValidationError:
    return ValidationError(f"target {target!r} is a file (or lies below one); give a folder")


def _not_writable(target: str, why: str, found: Path) -> LocalFileError:
    return LocalFileError(
        f"cannot {why} {target!r}: {_os_reason(found)}",
        path=target,
        hint="check the permissions of the target folder, or choose another target",
    )


def _os_reason(folder: Path) -> str:
    """The OS's words for why ``folder`` may not be written (``os.access`` says no more)."""
    try:
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows)
        read_only = False
    return os.strerror(errno.EROFS if read_only else errno.EACCES).lower()


def _nearest_existing(path: Path) -> tuple[Path, os.stat_result]:
    """The first of ``path`` and its parents that exists (``/`` always does)."""
    while True:
        try:
            return path, os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            if path == path.parent:
                raise
            path = path.parent


def check_target(target: str) -> None:
    """Raise what writing into ``target`` would: it is a file or lies below one, or it
    (or, when it does not exist yet, the folder it would be created in) may not be
    written. Creates nothing."""
    path = Path(target).absolute()
    try:
        found, st = _nearest_existing(path)
    except OSError as exc:
        raise LocalFileError(
            f"cannot use target {target!r}: {exc.strerror or exc}", path=target
        ) from exc
    if not stat.S_ISDIR(st.st_mode):
        raise _below_a_file(target)
    if not os.access(found, _WRITABLE):
        why = "write into" if found == path else "create target folder"
        raise _not_writable(target, why, found)


def inspect(target: str, rel_path: str, *, holds: Callable[[], bool]) -> Found:
    """What ``target`` holds where ``rel_path`` goes; ``holds`` says whether a regular
    file there has the version's bytes."""
    final = final_path(target, rel_path)  # refuses a link leading out of the target
    lands = str(final)  # links in the target followed: two paths may land on one file
    parts = rel_path.split("/")
    folder = Path(target)
    for depth, part in enumerate(parts[:-1], start=1):
        folder = folder / part
        try:
            st = os.stat(folder)  # a link to a folder serves as the folder, as when writing
        except OSError:
            if os.path.lexists(folder):  # a link that leads nowhere, or round in a loop
                return Found(
                    presence=Presence.FILE_IN_THE_WAY, path="/".join(parts[:depth]), lands=lands
                )
            return Found(presence=Presence.ABSENT, path=rel_path, lands=lands)
        if not stat.S_ISDIR(st.st_mode):
            return Found(
                presence=Presence.FILE_IN_THE_WAY, path="/".join(parts[:depth]), lands=lands
            )
    try:
        st = os.lstat(final)
    except OSError:
        return Found(presence=Presence.ABSENT, path=rel_path, lands=lands)
    if stat.S_ISDIR(st.st_mode):
        return Found(presence=_folder_presence(final), path=rel_path, lands=lands)
    same = stat.S_ISREG(st.st_mode) and holds()
    return Found(presence=Presence.SAME if same else Presence.DIFFERS, path=rel_path, lands=lands)


def _folder_presence(folder: Path) -> Presence:
    try:
        with os.scandir(folder) as entries:
            empty = next(entries, None) is None
    except OSError:
        empty = False  # cannot look inside: never removed
    return Presence.EMPTY_FOLDER if empty else Presence.FOLDER


def make_way(target: str, rel_path: str) -> None:
    """Remove the file, or the empty folder, at ``target/rel_path``; nothing there is fine."""
    path = final_path(target, rel_path)
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            os.rmdir(path)
        else:
            os.unlink(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise LocalFileError(
            f"cannot replace {str(path)!r}: {exc.strerror or exc}",
            path=str(path),
            hint="check the permissions of the target folder",
        ) from exc
