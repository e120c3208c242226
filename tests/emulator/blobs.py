"""Content-addressed blob files on disk: received once, hashed while streaming."""

from __future__ import annotations

import hashlib
import os
import tempfile
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
        sha256, sha1, md5 = hashlib.sha256(), hashlib.sha1(), hashlib.md5()  # noqa: S324
        size = 0
        fd, name = tempfile.mkstemp(dir=self._incoming)
        try:
            with os.fdopen(fd, "wb", buffering=0) as out:
                for chunk in chunks:
                    sha256.update(chunk)
                    sha1.update(chunk)
                    md5.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
        except BaseException:
            os.unlink(name)
            raise
        blob = Blob(
            sha256=sha256.hexdigest(), sha1=sha1.hexdigest(), md5=md5.hexdigest(), size=size
        )
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
