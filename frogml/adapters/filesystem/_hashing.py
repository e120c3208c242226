"""SHA-256 of files with large reads (the cache of hashes is in :mod:`._hash_cache`)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol

__all__ = ["BUFFER_SIZE", "Hasher", "feed", "hash_file"]

BUFFER_SIZE = 1 << 20


class Hasher(Protocol):
    """What a running hash offers (``hashlib.sha256()`` conforms)."""

    def update(self, data: bytes | memoryview, /) -> None: ...

    def hexdigest(self) -> str: ...


def feed(path: str | Path, hasher: Hasher, *, limit: int | None = None) -> int:
    """Hash ``path`` (at most ``limit`` bytes) into ``hasher``; return the bytes read.

    ``hashlib.file_digest`` is not used: it does not tell how many bytes it read, and
    the file may have changed since it was stat'ed.
    """
    total = 0
    with open(path, "rb", buffering=0) as file:
        # Sized to the file (plus one byte, to see its end): zeroing a 1 MiB buffer
        # for every small file cost more than reading it.
        buffer = memoryview(bytearray(_buffer_size(os.fstat(file.fileno()).st_size, limit)))
        while limit is None or total < limit:
            want = BUFFER_SIZE if limit is None else min(BUFFER_SIZE, limit - total)
            count = file.readinto(buffer[:want])
            if not count:
                break
            hasher.update(buffer[:count])  # hashlib releases the GIL for large updates
            total += count
    return total


def _buffer_size(size: int, limit: int | None) -> int:
    wanted = size if limit is None else min(size, limit)
    return max(1, min(BUFFER_SIZE, wanted + 1))


def hash_file(path: str | Path) -> tuple[int, str]:
    """Size and SHA-256 of the bytes actually read."""
    hasher = hashlib.sha256()
    size = feed(path, hasher)
    return size, hasher.hexdigest()
