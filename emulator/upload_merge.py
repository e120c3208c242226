"""The merge of a multipart upload, done early: parts hashed and joined in order as
they arrive, so that `complete` has little left to do (as an object store whose merge
is mostly bookkeeping). A part sent again after it was merged restarts the merge."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import BinaryIO

from .blobs import Blob, _Hashes

__all__ = ["PrefixMerge"]

_CHUNK = 1 << 20


class PrefixMerge:
    """Joins parts 1, 2, … into ``target`` as each becomes available, hashing them."""

    def __init__(self, target: Path) -> None:
        self._target = target
        self._cond = threading.Condition()
        self._parts: dict[int, Path] = {}
        self._cursor = 1  # the next part to join
        self._busy = 0  # the part being joined (0: none)
        self._restart = False
        self._closed = False
        self._error: OSError | None = None
        # SHA-256, SHA-1 and MD5 as the blob store computes them (MD5 on a helper thread).
        self._hashes = _Hashes()
        self._thread = threading.Thread(target=self._run, name="emulator-merge", daemon=True)
        self._thread.start()

    def add(self, number: int, path: Path) -> None:
        """Part ``number`` is (again) at ``path``."""
        with self._cond:
            self._parts[number] = path
            if number < self._cursor or number == self._busy:
                self._restart = True  # joined already with other bytes
            self._cond.notify_all()

    def joined(self) -> int:
        """How many parts are joined so far."""
        with self._cond:
            return self._cursor - 1

    def result(self, last: int, stopping: threading.Event) -> tuple[Path, Blob] | None:
        """Once parts 1..``last`` are joined: the file and its checksums. None when
        closed or stopping meanwhile."""
        with self._cond:
            while not (self._closed or self._error or stopping.is_set()):
                if self._cursor > last and not self._restart and not self._busy:
                    blob: Blob = self._hashes.result()
                    return self._target, blob
                self._cond.wait(0.2)
            if self._error is not None:
                raise self._error
            return None

    def close(self, *, keep: bool = False) -> None:
        """Stop (once; later calls do nothing); the joined file goes unless ``keep``."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        self._thread.join()
        self._hashes.abandon()
        if not keep:
            self._target.unlink(missing_ok=True)

    def _restarting(self) -> bool:
        return self._restart

    def _reset(self, out: BinaryIO) -> None:
        out.seek(0)
        out.truncate()
        self._cursor, self._restart = 1, False
        self._hashes.abandon()
        self._hashes = _Hashes()

    def _run(self) -> None:
        try:
            with self._target.open("wb") as out:
                self._join(out)
        except OSError as exc:  # the upload went away (abort, expiry) under us
            with self._cond:
                self._error = exc
                self._cond.notify_all()

    def _join(self, out: BinaryIO) -> None:
        while True:
            with self._cond:
                while not (self._closed or self._restart or self._cursor in self._parts):
                    self._cond.wait()
                if self._closed:
                    return
                if self._restart:
                    self._reset(out)
                    continue
                number, path = self._cursor, self._parts[self._cursor]
                self._busy = number
            hashes = self._hashes
            with path.open("rb") as part:
                while block := part.read(_CHUNK):
                    hashes.update(block)
                    out.write(block)
            out.flush()
            with self._cond:
                self._busy = 0
                if self._restarting():  # a part sent again while it was joined
                    self._reset(out)
                else:
                    self._cursor = number + 1
                self._cond.notify_all()
