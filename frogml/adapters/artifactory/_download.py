"""Fetching a version's files into verified sinks, resuming with byte ranges, in parallel."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

import urllib3
import urllib3.exceptions as u3

from frogml.adapters.artifactory._answers import foreign_file_answer
from frogml.adapters.artifactory._errors import RetryableError, network_error
from frogml.adapters.artifactory._http import Answer, HttpClient
from frogml.adapters.artifactory._ranges import RangesRefused, receive_ranges
from frogml.adapters.artifactory._transfer import Cancelled, Progress, fit_threads, run_each
from frogml.adapters.artifactory.settings import RangePolicy
from frogml.domain.errors import (
    IntegrityError,
    InterruptedTransferError,
    ProtocolError,
    TransientError,
)
from frogml.domain.ports.artifact_store import DownloadItem
from frogml.domain.ports.filesystem import FileSink, RangedFileSink
from frogml.domain.ports.progress import TransferEvents

__all__ = ["download_all"]

_MAX_ERROR_BODY = 64 * 1024


class _BadBytes(IntegrityError):
    """Bytes did not match; the sink was restarted, so another attempt may succeed."""


def _restarted(sink: FileSink, error: IntegrityError) -> IntegrityError:
    """``error`` as a retryable one when the sink could start over, else as it is."""
    try:
        sink.restart()
    except Exception:  # a sink that cannot start over after a failed commit
        return error
    return _BadBytes(error.message, path=error.path, expected=error.expected, actual=error.actual)


def _range_start(response: urllib3.BaseHTTPResponse) -> int | None:
    """The first byte of a 206 answer (``Content-Range: bytes a-b/N``)."""
    unit, _, spec = (response.headers.get("Content-Range") or "").partition(" ")
    first = spec.partition("-")[0]
    return int(first) if unit.lower() == "bytes" and first.isascii() and first.isdigit() else None


def _open(
    http: HttpClient, url: str, sink: FileSink, size: int, what: str
) -> tuple[urllib3.BaseHTTPResponse, int]:
    """Start the GET (ranged when the sink holds a prefix); return it and its first byte."""
    offset = sink.offset
    if offset > size:
        sink.restart()
        offset = 0
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    response = http.open("GET", url, what=what, headers=headers, stream=True)
    if response.status in (200, 206):
        expected = size - offset if response.status == 206 else size
        foreign = foreign_file_answer(response.headers, size=size, expected=expected)
        if foreign is not None:  # refused before a byte is written or a prefix dropped
            response.close()
            response.release_conn()
            raise RetryableError(f"{what}: the server answered {foreign}")
    if response.status == 206 and offset and _range_start(response) == offset:
        return response, offset
    if response.status == 200:
        if offset:
            try:
                sink.restart()  # the server ignored the range: take the whole body
            except BaseException:
                response.close()  # give the connection back before the error travels
                response.release_conn()
                raise
        return response, 0
    try:
        body = http.read_body(response, what=what, limit=_MAX_ERROR_BODY)
    except u3.HTTPError as exc:  # the error answer itself was cut
        raise network_error(exc, what=what) from exc
    finally:
        response.close()
        response.release_conn()
    if response.status in (206, 416):
        sink.restart()  # our partial data does not fit the server's file
        raise RetryableError(f"{what}: the server refused to resume (HTTP {response.status})")
    http.check(Answer(status=response.status, headers=response.headers, body=body), what=what)
    raise ProtocolError(f"{what}: unexpected answer HTTP {response.status}")


def _receive(
    chunks: Iterable[bytes],
    sink: FileSink,
    expected: int,
    progress: Progress,
    stop: threading.Event,
    what: str,
) -> None:
    received = 0
    for chunk in chunks:  # a stall raises (retryable): see HttpClient.body_chunks
        if stop.is_set():
            raise Cancelled("download cancelled")
        if received + len(chunk) > expected:
            too_long = IntegrityError(
                f"{what}: the server sent more bytes than the manifest's size",
                path=sink.rel_path,
            )
            raise _restarted(sink, too_long)
        sink.write(chunk)
        received += len(chunk)
        progress.advance(len(chunk))
    if received != expected:
        raise RetryableError(f"{what}: the answer was cut short")


def _attempt(
    http: HttpClient,
    url: str,
    sink: FileSink,
    size: int,
    progress: Progress,
    stop: threading.Event,
    what: str,
    ranges: RangePolicy,
    most: int,
) -> None:
    if stop.is_set():
        raise Cancelled("download cancelled")
    # The size first: a check against a runtime protocol costs more than the transfer
    # of a small file's answer head.
    if ranges.applies(size - sink.offset) and isinstance(sink, RangedFileSink):
        try:
            receive_ranges(
                http, url, sink, size, progress, stop, policy=ranges, most=most, what=what
            )
        except RangesRefused:
            sink.restart()  # the server ignores ranges: take the whole body below
        except RetryableError as exc:  # a range used up its retries: do not multiply them
            raise TransientError(exc.message, status=exc.status, hint=exc.hint) from exc
    if sink.offset != size:
        response, offset = _open(http, url, sink, size, what)
        progress.seek(offset)
        complete = False
        try:
            chunks = http.body_chunks(response, what=what)
            _receive(chunks, sink, size - offset, progress, stop, what)
            complete = True
        except u3.HTTPError as exc:
            raise network_error(exc, what=what) from exc
        finally:
            if not complete:
                response.close()  # the connection holds unread bytes
            response.release_conn()
    try:
        sink.commit()  # verifies size and SHA-256; drops the data when they differ
    except IntegrityError as exc:
        raise _restarted(sink, exc) from exc


def _download_one(
    http: HttpClient,
    url: str,
    item: DownloadItem,
    events: TransferEvents,
    stop: threading.Event,
    ranges: RangePolicy,
    most: int,
) -> None:
    if stop.is_set():
        raise Cancelled("download cancelled")  # before its sink is opened
    with item.sink() as sink:  # open only while this file moves: descriptors follow threads
        _fetch(http, url, sink, item.artifact.size, events, stop, ranges, most)
    events.file_done(item.rel_path, transferred=True)


def _fetch(
    http: HttpClient,
    url: str,
    sink: FileSink,
    size: int,
    events: TransferEvents,
    stop: threading.Event,
    ranges: RangePolicy,
    most: int,
) -> None:
    what = f"downloading {sink.rel_path}"
    progress = Progress(events, position=min(sink.offset, size))
    try:
        http.retrier.run(
            lambda: _attempt(http, url, sink, size, progress, stop, what, ranges, most),
            what=what,
            retry_on=(_BadBytes,),
            cancelled=stop.is_set,
        )
    except TransientError as exc:
        if sink.offset <= 0:
            raise
        raise InterruptedTransferError(
            f"{exc.message}; {sink.offset} of {size} bytes are kept",
            hint="run the same command again to resume",
        ) from exc


def fit_download_threads(*, threads: int, most: int | None, count: int) -> tuple[int, int | None]:
    """:func:`fit_threads` for a download of ``count`` files: per thread, its connection,
    the partial file, and its folder, marker or cache copy."""
    return fit_threads(threads=threads, most=most, count=count, per_thread=3, doing="downloading")


def download_all(
    http: HttpClient,
    items: Sequence[DownloadItem],
    url_of: Callable[[DownloadItem], str],
    events: TransferEvents,
    *,
    threads: int,
    most: int | None = None,
    ranges: RangePolicy | None = None,
) -> None:
    """Download every item from ``url_of(item)``, or stop the others and raise the
    first error. A URL is built when its file's transfer starts, not all at once.

    ``threads`` files move at once at first; with ``most``, their number adapts to the
    measured throughput, up to ``most`` (see
    :class:`~frogml.adapters.artifactory._transfer.Tuner`); without, it stays.
    Files of at least ``ranges.threshold`` bytes arrive as concurrent byte ranges when
    their sink takes writes at offsets (see :class:`RangePolicy`), at most ``most``.
    """
    policy = ranges or RangePolicy(parts=1)
    first, adapting = fit_download_threads(threads=threads, most=most, count=len(items))
    cap = first if adapting is None else adapting  # ranges stay within it too

    def fetch(item: DownloadItem, stop: threading.Event) -> None:
        _download_one(http, url_of(item), item, events, stop, policy, cap)

    if items:  # the first requests in flight find their connections open or opening
        http.warm(url_of(items[0]), min(first, len(items)))

    # A file's task and URL are made when a thread takes it, and no result is kept:
    # with 100,000s of files, they counted (issue 15).
    run_each(items, fetch, threads=first, most=adapting, name="frogml-get")
