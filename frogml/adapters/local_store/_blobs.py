"""Content-addressed blobs: written once, atomically, verified in the same pass."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from frogml.adapters.local_store._blob_keys import record_key
from frogml.adapters.local_store._disk import store_error
from frogml.adapters.local_store._layout import Layout
from frogml.adapters.writeback import Writeback
from frogml.domain.errors import IntegrityError, LocalFileError, NotFoundError
from frogml.domain.ports.artifact_store import DownloadItem
from frogml.domain.ports.filesystem import FileSink, SourceFile
from frogml.domain.ports.progress import TransferEvents, report_reused

__all__ = ["BUFFER_SIZE", "block_size", "copy_blob", "has_blob", "store_blob"]

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
    writeback = Writeback(out.fileno())  # the fsync below then waits for less
    try:
        with source.open() as stream:
            while chunk := stream.read(block_size(source.size)):
                hasher.update(chunk)
                try:
                    out.write(chunk)
                except OSError as exc:
                    raise store_error(temp, exc) from exc
                size += len(chunk)
                writeback.grew(size)
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


def store_blob(layout: Layout, staging: Path, source: SourceFile, events: TransferEvents) -> Path:
    """Copy ``source`` into its blob through a verified temporary file in ``staging``;
    return the blob's folder, which the caller fsyncs before the version is published
    (once per folder, not once per file: that doubled the cost of many small files).

    Two processes storing the same blob is fine: the content is the same. A damaged
    blob is replaced; versions read the blob's path first, so they get the good bytes.
    """
    try:
        fd, name = tempfile.mkstemp(dir=staging, suffix=".blob")
    except OSError as exc:  # the transaction was aborted meanwhile, or the disk refuses
        raise store_error(staging, exc) from exc
    temp = Path(name)
    try:
        _write_temp(fd, temp, source, events)
        blob = layout.blob(source.sha256)
        try:
            os.chmod(temp, 0o444)  # version folders hard-link blobs: keep them read-only
            blob.parent.mkdir(parents=True, exist_ok=True)
            _place(temp, blob)
        except OSError as exc:
            raise store_error(blob, exc) from exc
        with contextlib.suppress(OSError):
            temp.unlink()  # before the key: removing this link moves the blob's ctime
        record_key(layout, source.sha256)  # what the next deduplication trusts
        return blob.parent
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def _write_temp(fd: int, temp: Path, source: SourceFile, events: TransferEvents) -> None:
    """Fill the temporary file; closing flushes, which a full disk refuses too."""
    out = os.fdopen(fd, "wb")
    try:
        _receive(source, temp, out, events)
    except BaseException:
        with contextlib.suppress(OSError):
            out.close()  # the flush fails again on a full disk: the first error tells
        raise
    try:
        out.close()
    except OSError as exc:
        raise store_error(temp, exc) from exc


def _place(temp: Path, blob: Path) -> None:
    try:
        os.link(temp, blob)
    except OSError:
        # Present: damaged (a blob found intact is never stored again), or stored by
        # another process meanwhile; replacing equal bytes is harmless. Or no hard
        # links on this disk.
        os.replace(temp, blob)


def block_size(size: int) -> int:
    """Bytes to read at a time from a file of ``size`` bytes: a small file in one read
    (plus one byte, to see its end), never a 1 MiB buffer allocated for 4 KiB."""
    return max(1, min(BUFFER_SIZE, size + 1))


def copy_blob(path: Path, item: DownloadItem, sink: FileSink, events: TransferEvents) -> None:
    """Stream the stored file at ``path`` into the item's open sink, resuming at its offset."""
    try:
        with open(path, "rb") as blob:
            if sink.offset > item.artifact.size:
                sink.restart()
            if sink.offset:
                blob.seek(sink.offset)
                report_reused(events, sink.offset)
            while chunk := blob.read(block_size(item.artifact.size)):
                sink.write(chunk)
                events.advanced(len(chunk))
    except FileNotFoundError as exc:
        raise NotFoundError(
            f"the local store lost {item.artifact.artifact_path!r} ({str(path)!r})", what="file"
        ) from exc
    except OSError as exc:
        raise store_error(path, exc) from exc
