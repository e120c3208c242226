"""Content-addressed blob files on disk: received once, hashed while streaming."""

from __future__ import annotations

import hashlib
import os
import queue
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import msgspec

__all__ = ["Blob", "BlobStore", "Upload"]


class Blob(msgspec.Struct, frozen=True, kw_only=True):
    """The identity of some bytes, as Artifactory reports it."""

    sha256: str
    sha1: str
    md5: str
    size: int


class Upload(msgspec.Struct, frozen=True, kw_only=True):
    """A received body waiting in a temporary file to be adopted (or discarded)."""

    temp: Path
    blob: Blob


class _Hashes:
    """SHA-256, SHA-1 and MD5 of a stream; MD5 moves to a helper thread for big bodies.

    hashlib releases the GIL on large updates, so the helper runs truly in parallel:
    three digests in a row would cap deploys near 200 MB/s.
    """

    def __init__(self) -> None:
        self._sha256, self._sha1, self._md5 = hashlib.sha256(), hashlib.sha1(), hashlib.md5()  # noqa: S324
        self._size = 0
        self._queue: queue.Queue[bytes | None] | None = None
        self._thread: threading.Thread | None = None

    def update(self, chunk: bytes) -> None:
        if self._size == 0 or self._thread is not None:
            self._feed_md5(chunk)
        else:  # a second chunk: the body is big enough to be worth a thread
            self._queue = queue.Queue(maxsize=8)
            self._thread = threading.Thread(target=self._md5_worker, daemon=True)
            self._thread.start()
            self._queue.put(chunk)
        self._sha256.update(chunk)
        self._sha1.update(chunk)
        self._size += len(chunk)

    def _feed_md5(self, chunk: bytes) -> None:
        if self._queue is None:
            self._md5.update(chunk)
        else:
            self._queue.put(chunk)

    def _md5_worker(self) -> None:
        assert self._queue is not None
        while (chunk := self._queue.get()) is not None:
            self._md5.update(chunk)

    def abandon(self) -> None:
        """Stop the helper thread (if any); safe to call more than once."""
        if self._queue is not None and self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def result(self) -> Blob:
        self.abandon()
        return Blob(
            sha256=self._sha256.hexdigest(),
            sha1=self._sha1.hexdigest(),
            md5=self._md5.hexdigest(),
            size=self._size,
        )


class BlobStore:
    """Blobs at `blobs/ab/<sha256>`; uploads land in `incoming/` first.

    Callers serialise `adopt`/`release` (the path store holds its lock), so a blob is
    never removed while another upload of the same bytes is being adopted.
    """

    def __init__(self, root: Path) -> None:
        self._blobs = root / "blobs"
        self._incoming = root / "incoming"
        self._blobs.mkdir(parents=True, exist_ok=True)
        self._incoming.mkdir(parents=True, exist_ok=True)

    def path_of(self, sha256: str) -> Path:
        return self._blobs / sha256[:2] / sha256

    def receive(self, chunks: Iterable[bytes]) -> Upload:
        """Stream chunks to a temp file, hashing as they pass; never the whole body in RAM."""
        hashes = _Hashes()
        fd, name = tempfile.mkstemp(dir=self._incoming)
        try:
            with os.fdopen(fd, "wb", buffering=0) as out:
                for chunk in chunks:
                    hashes.update(chunk)
                    out.write(chunk)
            blob = hashes.result()
        except BaseException:
            hashes.abandon()
            os.unlink(name)
            raise
        return Upload(temp=Path(name), blob=blob)

    def adopt(self, upload: Upload, *, known: bool) -> None:
        """Move the temp file into place unless the same bytes are already stored."""
        if known:
            upload.temp.unlink(missing_ok=True)
            return
        target = self.path_of(upload.blob.sha256)
        target.parent.mkdir(exist_ok=True)
        os.replace(upload.temp, target)

    def discard(self, upload: Upload) -> None:
        upload.temp.unlink(missing_ok=True)

    def release(self, sha256: str) -> None:
        # An open download keeps its descriptor: unlinking is safe on POSIX.
        self.path_of(sha256).unlink(missing_ok=True)
