"""The hash cache: the SHA-256 of files that did not change since they were hashed.

One SQLite file, ``hashes.sqlite`` in the cache folder. A lookup reads one row and a
save writes only the new rows, so a scan's memory and writes follow the files it
hashes, not the entries the cache holds: the JSON document it replaces was read whole
and rewritten whole (at 100,000 entries, 44 MB held and 15 MB written per upload).

An entry counts only while the file's path, size, mtime, ctime, inode and device are
unchanged. Best effort: a cache that cannot be opened, read or written is left alone
(a damaged one is replaced), and the file is simply hashed again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from frogml.adapters.filesystem._hashing import hash_file
from frogml.adapters.logs import get_logger

__all__ = ["FILE_NAME", "HashCache"]

FILE_NAME = "hashes.sqlite"
_log = get_logger("frogml")
# A file written within this window may still change without its times moving (the
# clock's granularity), so its hash is not cached ("racy clean" in git's words).
_RACY_WINDOW_NS = 2_000_000_000
_MAX_ENTRIES = 1_000_000  # beyond, the oldest go (about 150 MB of disk)
_BATCH = 1024  # new entries written in one transaction
_CHECKPOINT_BYTES = 64 << 20  # checkpoint() writes once this much hashing is unsaved
# Schema 2: the stamp holds ctime; an entry without it cannot tell a file rewritten in
# place with its mtime put back (touch -r, rsync -t --inplace, cp -p).
_SCHEMA = 2
_TABLE = "CREATE TABLE hashes (path BLOB PRIMARY KEY, stamp TEXT, size INTEGER, sha256 TEXT)"

Known = tuple[str, int, str]  # stamp, size, sha256


def _stamp(st: os.stat_result) -> str:
    """What must be unchanged for a hash to count (ctime cannot be set back by a user:
    any write, chmod or rename moves it)."""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=5.0, check_same_thread=False)
    try:
        db.execute("PRAGMA synchronous = OFF")  # a cache: losing its last rows is fine
        (schema,) = db.execute("PRAGMA user_version").fetchone()
        if schema != _SCHEMA:  # new, or written by another version: start afresh
            with db:
                db.execute("DROP TABLE IF EXISTS hashes")
                db.execute(_TABLE)
                db.execute(f"PRAGMA user_version = {_SCHEMA}")
    except BaseException:
        db.close()
        raise
    return db


class HashCache:
    """Hashes keyed by absolute path, counted while the file's stamp is unchanged.

    ``folder`` None: no cache (every file is hashed). ``now_ns`` (wall-clock
    nanoseconds) decides which files are too fresh to cache. Thread-safe.
    """

    def __init__(self, folder: Path | None, *, now_ns: Callable[[], int] = time.time_ns) -> None:
        self._path = None if folder is None else folder / FILE_NAME
        self._now_ns = now_ns
        self._db: sqlite3.Connection | None = None
        self._failed = False
        self._pending: dict[bytes, Known] = {}
        self._pending_bytes = 0
        self._lock = threading.Lock()

    def hash(self, path: str | Path) -> tuple[int, str]:
        """Size and SHA-256 of ``path``, from the cache when the file is unchanged."""
        if self._path is None:
            return hash_file(path)
        name = os.fsencode(os.path.abspath(path))
        before = _stamp(os.stat(path))
        with self._lock:
            known = self._lookup(name)
        if known is not None and known[0] == before:
            return known[1], known[2]
        size, sha256 = hash_file(path)
        after = os.stat(path)
        if _stamp(after) == before and size == after.st_size and not self._racy(after):
            with self._lock:
                self._pending[name] = (before, size, sha256)
                self._pending_bytes += size
                if len(self._pending) >= _BATCH:
                    self._write()
        return size, sha256

    def checkpoint(self) -> None:
        """Write what is unsaved once losing it would cost real hashing (64 MiB), for a
        caller that hashes file after file with no end in sight."""
        with self._lock:
            if self._pending_bytes >= _CHECKPOINT_BYTES:
                self._write()

    def save(self) -> None:
        """Write what is unsaved and close the file (it reopens when needed)."""
        with self._lock:
            self._write()
            if self._db is not None:
                self._db.close()
                self._db = None

    def _racy(self, st: os.stat_result) -> bool:
        """Written so recently that a change within the clock's granularity would not
        move its times: not cached. ctime counts too, as mtime can be put back."""
        return self._now_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < _RACY_WINDOW_NS

    # -- with the lock held ------------------------------------------------------
    def _lookup(self, name: bytes) -> Known | None:
        pending = self._pending.get(name)
        if pending is not None:
            return pending
        db = self._open(create=False)  # none yet: nothing to find, nothing to create
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT stamp, size, sha256 FROM hashes WHERE path = ?", (name,)
            ).fetchone()
        except sqlite3.Error as exc:
            self._give_up("hash_cache_not_read", exc)
            return None
        return None if row is None else (str(row[0]), int(row[1]), str(row[2]))

    def _write(self) -> None:
        rows = [(name, *known) for name, known in self._pending.items()]
        self._pending.clear()
        self._pending_bytes = 0
        db = self._open(create=True) if rows else None
        if db is None:
            return
        try:
            with db:  # one transaction
                db.executemany("INSERT OR REPLACE INTO hashes VALUES (?, ?, ?, ?)", rows)
                db.execute(
                    "DELETE FROM hashes WHERE rowid <= (SELECT max(rowid) FROM hashes) - ?",
                    (_MAX_ENTRIES,),
                )
        except sqlite3.Error as exc:
            self._give_up("hash_cache_not_saved", exc)

    def _open(self, *, create: bool) -> sqlite3.Connection | None:
        if self._db is None and not self._failed and self._path is not None:
            if not create and not self._path.exists():
                return None
            try:
                self._db = _connect(self._path)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):  # locked, unreadable
                    self._give_up("hash_cache_not_opened", exc)
                else:
                    self._replace(exc)
            except OSError as exc:
                self._give_up("hash_cache_not_opened", exc)
        return self._db

    def _replace(self, damage: Exception) -> None:
        """Start afresh from a damaged file (it is only a cache)."""
        assert self._path is not None
        _log.info("hash_cache_replaced", path=str(self._path), error=str(damage))
        with contextlib.suppress(OSError):
            self._path.unlink()
        try:
            self._db = _connect(self._path)
        except (OSError, sqlite3.Error) as exc:
            self._give_up("hash_cache_not_opened", exc)

    def _give_up(self, event: str, exc: Exception) -> None:
        """Hash every file from now on: a cache that fails is not worth retrying."""
        _log.info(event, path=str(self._path), error=str(exc))
        self._failed = True
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None
