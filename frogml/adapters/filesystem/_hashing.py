"""SHA-256 of files with large reads, and a cache of hashes of unchanged files."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path
from typing import Protocol

import msgspec

from frogml.adapters.filesystem._atomic import atomic_write
from frogml.adapters.logs import get_logger

__all__ = ["BUFFER_SIZE", "HashCache", "Hasher", "feed", "hash_file"]

BUFFER_SIZE = 1 << 20
_log = get_logger("frogml")
# A file written within this window may still change without its mtime moving (the
# clock's granularity), so its hash is not cached ("racy clean" in git's words).
_RACY_WINDOW_NS = 2_000_000_000
_MAX_ENTRIES = 100_000


class Hasher(Protocol):
    """What a running hash offers (``hashlib.sha256()`` conforms)."""

    def update(self, data: bytes | memoryview, /) -> None: ...

    def hexdigest(self) -> str: ...


def feed(path: Path, hasher: Hasher, *, limit: int | None = None) -> int:
    """Hash ``path`` (at most ``limit`` bytes) into ``hasher``; return the bytes read.

    ``hashlib.file_digest`` is not used: it does not tell how many bytes it read, and
    the file may have changed since it was stat'ed.
    """
    buffer = memoryview(bytearray(BUFFER_SIZE))
    total = 0
    with open(path, "rb", buffering=0) as file:
        while limit is None or total < limit:
            want = BUFFER_SIZE if limit is None else min(BUFFER_SIZE, limit - total)
            count = file.readinto(buffer[:want])
            if not count:
                break
            hasher.update(buffer[:count])  # hashlib releases the GIL for large updates
            total += count
    return total


def hash_file(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of the bytes actually read."""
    hasher = hashlib.sha256()
    size = feed(path, hasher)
    return size, hasher.hexdigest()


class _Entry(msgspec.Struct, array_like=True):
    size: int
    mtime_ns: int
    inode: int
    device: int
    sha256: str


class _CacheFile(msgspec.Struct):
    version: int
    entries: dict[str, _Entry]


_decoder = msgspec.json.Decoder(_CacheFile)
_encoder = msgspec.json.Encoder()


def _key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


class HashCache:
    """Hashes keyed by (absolute path, size, mtime_ns, inode, device) in one JSON file.

    Best effort: an unreadable or corrupt cache is ignored, a failed save is logged.
    """

    def __init__(self, folder: Path | None) -> None:
        self._path = None if folder is None else folder / "hashes.json"
        self._entries: dict[str, _Entry] | None = None
        self._dirty = False
        self._lock = threading.Lock()

    def _load(self) -> dict[str, _Entry]:
        if self._entries is None:
            self._entries = {}
            if self._path is not None:
                try:
                    loaded = _decoder.decode(self._path.read_bytes())
                    if loaded.version == 1:
                        self._entries = loaded.entries
                except (OSError, msgspec.DecodeError):
                    pass  # missing or corrupt: start empty, it is only a cache
        return self._entries

    def hash(self, path: Path) -> tuple[int, str]:
        """Size and SHA-256 of ``path``, from the cache when the file is unchanged."""
        if self._path is None:
            return hash_file(path)
        name = os.path.abspath(path)
        before = _key(os.stat(path))
        with self._lock:
            entry = self._load().get(name)
        if entry is not None and (entry.size, entry.mtime_ns, entry.inode, entry.device) == before:
            return entry.size, entry.sha256
        size, sha256 = hash_file(path)
        after = os.stat(path)
        if _key(after) == before and size == after.st_size and not _is_racy(after):
            fresh = _Entry(size, after.st_mtime_ns, after.st_ino, after.st_dev, sha256)
            with self._lock:
                self._load()[name] = fresh
                self._dirty = True
        return size, sha256

    def save(self) -> None:
        """Write the cache atomically when it changed."""
        with self._lock:
            if self._path is None or not self._dirty or self._entries is None:
                return
            entries = dict(list(self._entries.items())[-_MAX_ENTRIES:])
            try:
                self._path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(self._path, _encoder.encode(_CacheFile(version=1, entries=entries)))
                self._dirty = False
            except OSError as exc:
                _log.warning("hash_cache_not_saved", path=str(self._path), error=str(exc))


def _is_racy(st: os.stat_result) -> bool:
    return time.time_ns() - st.st_mtime_ns < _RACY_WINDOW_NS
