"""Content-addressed blobs: written once, atomically, verified in the same pass."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from frogml.adapters.local_store._disk import fsync_dir, store_error
from frogml.adapters.local_store._layout import Layout
from frogml.domain.errors import IntegrityError, LocalFileError, NotFoundError
from frogml.domain.ports.artifact_store import DownloadItem
from frogml.domain.ports.filesystem import SourceFile
from frogml.domain.ports.progress import TransferEvents

__all__ = ["BUFFER_SIZE", "copy_blob", "has_blob", "store_blob"]

BUFFER_SIZE = 1 << 20


def has_blob(layout: Layout, sha256: str, size: int) -> bool:
    """True when the blob is stored with the expected size (a cheap integrity check)."""
    try:
        return layout.blob(sha256).stat().st_size == size
    except OSError:
        return False


def _receive(source: SourceFile, temp: Path, out: BinaryIO, events: TransferEvents) -> None:
    hasher = hashlib.sha256()
    size = 0
    try:
        with source.open() as stream:
            while chunk := stream.read(BUFFER_SIZE):
                hasher.update(chunk)
                try:
                    out.write(chunk)
                except OSError as exc:
                    raise store_error(temp, exc) from exc
                size += len(chunk)
                events.advanced(len(chunk))
    except OSError as exc:  # writes are translated above: this one is the source's
        raise LocalFileError(
            f"cannot read {source.rel_path!r}: {exc.strerror or exc}",
            path=source.rel_path,
            hint="check that the file is still there and readable",
        ) from exc
    actual = hasher.hexdigest()
    if actual != source.sha256 or size != source.size:
        raise IntegrityError(
            f"{source.rel_path!r} changed since it was scanned ({size} bytes, SHA-256 "
            f"{actual}; expected {source.size} bytes, {source.sha256}); nothing was stored",
            path=source.rel_path,
            expected=source.sha256,
            actual=actual,
        )
    try:
        out.flush()
        os.fsync(out.fileno())
    except OSError as exc:
        raise store_error(temp, exc) from exc


def store_blob(layout: Layout, staging: Path, source: SourceFile, events: TransferEvents) -> None:
    """Copy ``source`` into its blob through a verified temporary file in ``staging``.

    Two processes storing the same blob is fine: the content is the same, and the
    first link wins; a damaged blob (wrong size) is replaced.
    """
    try:
        fd, name = tempfile.mkstemp(dir=staging, suffix=".blob")
    except OSError as exc:  # the transaction was aborted meanwhile, or the disk refuses
        raise store_error(staging, exc) from exc
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            _receive(source, temp, out, events)
        blob = layout.blob(source.sha256)
        try:
            os.chmod(temp, 0o444)  # version folders hard-link blobs: keep them read-only
            blob.parent.mkdir(parents=True, exist_ok=True)
            _place(temp, blob, source.size)
        except OSError as exc:
            raise store_error(blob, exc) from exc
        fsync_dir(blob.parent)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def _place(temp: Path, blob: Path, size: int) -> None:
    try:
        os.link(temp, blob)
    except FileExistsError:
        if blob.stat().st_size != size:
            os.replace(temp, blob)
    except OSError:
        os.replace(temp, blob)  # no hard links here; replacing equal bytes is harmless


def copy_blob(path: Path, item: DownloadItem, events: TransferEvents) -> None:
    """Stream the stored file at ``path`` into the item's sink, resuming at its offset."""
    sink = item.sink
    try:
        with open(path, "rb") as blob:
            if sink.offset > item.artifact.size:
                sink.restart()
            if sink.offset:
                blob.seek(sink.offset)
                events.advanced(sink.offset)
            while chunk := blob.read(BUFFER_SIZE):
                sink.write(chunk)
                events.advanced(len(chunk))
    except FileNotFoundError as exc:
        raise NotFoundError(
            f"the local store lost {item.artifact.artifact_path!r} ({str(path)!r})", what="file"
        ) from exc
    except OSError as exc:
        raise store_error(path, exc) from exc
