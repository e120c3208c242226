"""Writing a secret file atomically: 0600 file in a 0700 folder, never half-written."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from frogml.adapters.logs import get_logger

__all__ = ["private_folder", "warn_if_readable_by_others", "write_private"]

_log = get_logger("frogml")
_warned: set[str] = set()  # once per file and process: a command reads it several times


def private_folder(folder: Path) -> None:
    """Create ``folder`` as 0700, or tighten it to 0700 when it is ours and open to others."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_mode & 0o077 and info.st_uid == getattr(os, "getuid", lambda: -1)():
        os.chmod(folder, stat.S_IRWXU)


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename: a reader sees the old or the new file."""
    private_folder(path.parent)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk (POSIX only).
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def warn_if_readable_by_others(path: Path) -> None:
    """Log a warning when a file of secrets that frogml did not write (it writes them
    0600) may be read by the group or by others; it is still used."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if os.name == "nt" or not mode & 0o077 or str(path) in _warned:
        return
    _warned.add(str(path))
    _log.warning(
        "config_file_readable_by_others",
        path=str(path),
        mode=f"{stat.S_IMODE(mode):04o}",
        hint=f"it holds credentials: run `chmod 600 {path}`",
    )
