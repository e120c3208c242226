"""Claiming a partial download: one sink at a time writes it, across processes too.

Two downloads of the same file into the same folder (two processes, or two storages
in one) would otherwise share the partial file beside the final name: one truncating
or restarting it under the other leaves holes of zeros that the other's hash never
saw (it hashes the bytes it wrote), and the other then renames the damaged file into
place. So the shared partial file is locked while a sink writes it; a sink that cannot
take the lock writes a private partial file instead (no resume, same verification).
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

__all__ = ["claim", "private_partial"]

_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)

if sys.platform == "win32":

    def _lock(fd: int) -> bool:
        return True  # Windows cannot rename an open file: the loser's rename fails instead

else:
    import fcntl

    def _lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def _still_named(fd: int, path: Path) -> bool:
    """True when ``path`` still names the open file (its owner did not rename it away)."""
    try:
        named = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def claim(path: Path) -> int | None:
    """A descriptor of ``path`` (created when absent) that this sink alone writes until
    it closes it; None when another sink holds it. The lock goes with the descriptor."""
    fd = os.open(path, _FLAGS, 0o644)
    try:
        if _lock(fd) and _still_named(fd, path):
            return fd
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return None


def private_partial(shared: Path) -> tuple[int, Path]:
    """A new partial file of this sink's own, beside ``shared`` (so renames stay atomic)."""
    stem = shared.name.removesuffix(".frogml-partial")
    while True:
        path = shared.with_name(f"{stem}.{secrets.token_hex(4)}.frogml-partial")
        try:  # mode as for the shared file (mkstemp's 0o600 would reach the final name)
            return os.open(path, _FLAGS | os.O_EXCL, 0o644), path
        except FileExistsError:
            continue
