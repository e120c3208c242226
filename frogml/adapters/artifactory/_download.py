"""Fetching a version's files into verified sinks, resuming with byte ranges, in parallel."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import urllib3
import urllib3.exceptions as u3

from frogml.adapters.artifactory._errors import RetryableError, network_error
from frogml.adapters.artifactory._http import Answer, HttpClient
from frogml.adapters.artifactory._ranges import RangesRefused, receive_ranges
from frogml.adapters.artifactory._transfer import Cancelled, Progress, run_parallel
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

_CHUNK = 1 << 20
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
    return int(first) if unit.lower() == "bytes" and first.isdigit() else None


def _open(
    http: HttpClient, url: str, item: DownloadItem, what: str
) -> tuple[urllib3.BaseHTTPResponse, int]:
    """Start the GET (ranged when the sink holds a prefix); return it and its first byte."""
    sink, size = item.sink, item.artifact.size
    offset = sink.offset
    if offset > size:
        sink.restart()
        offset = 0
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    response = http.open("GET", url, what=what, headers=headers, stream=True)
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
        body = response.read(_MAX_ERROR_BODY)
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
    response: urllib3.BaseHTTPResponse,
    item: DownloadItem,
    expected: int,
    progress: Progress,
    stop: threading.Event,
    what: str,
) -> None:
    received = 0
    for chunk in response.stream(_CHUNK, decode_content=False):
        if stop.is_set():
            raise Cancelled("download cancelled")
        if received + len(chunk) > expected:
            too_long = IntegrityError(
                f"{what}: the server sent more bytes than the manifest's size",
                path=item.sink.rel_path,
            )
            raise _restarted(item.sink, too_long)
        item.sink.write(chunk)
        received += len(chunk)
        progress.advance(len(chunk))
    if received != expected:
        raise RetryableError(f"{what}: the answer was cut short")


def _attempt(
    http: HttpClient,
    url: str,
    item: DownloadItem,
    progress: Progress,
    stop: threading.Event,
    what: str,
    ranges: RangePolicy,
) -> None:
    if stop.is_set():
        raise Cancelled("download cancelled")
    size = item.artifact.size
    sink = item.sink
    if isinstance(sink, RangedFileSink) and ranges.applies(size - sink.offset):
        try:
            receive_ranges(http, url, sink, size, progress, stop, parts=ranges.parts, what=what)
        except RangesRefused:
            sink.restart()  # the server ignores ranges: take the whole body below
        except RetryableError as exc:  # a range used up its retries: do not multiply them
            raise TransientError(exc.message, status=exc.status, hint=exc.hint) from exc
    if item.sink.offset != size:
        response, offset = _open(http, url, item, what)
        progress.seek(offset)
        complete = False
        try:
            _receive(response, item, size - offset, progress, stop, what)
            complete = True
        except u3.HTTPError as exc:
            raise network_error(exc, what=what) from exc
        finally:
            if not complete:
                response.close()  # the connection holds unread bytes
            response.release_conn()
    try:
        item.sink.commit()  # verifies size and SHA-256; drops the data when they differ
    except IntegrityError as exc:
        raise _restarted(item.sink, exc) from exc


def _download_one(
    http: HttpClient,
    url: str,
    item: DownloadItem,
    events: TransferEvents,
    stop: threading.Event,
    ranges: RangePolicy,
) -> None:
    what = f"downloading {item.sink.rel_path}"
    progress = Progress(events, position=min(item.sink.offset, item.artifact.size))
    try:
        http.retrier.run(
            lambda: _attempt(http, url, item, progress, stop, what, ranges),
            what=what,
            retry_on=(_BadBytes,),
            cancelled=stop.is_set,
        )
    except TransientError as exc:
        if item.sink.offset <= 0:
            raise
        raise InterruptedTransferError(
            f"{exc.message}; {item.sink.offset} of {item.artifact.size} bytes are kept",
            hint="run the same command again to resume",
        ) from exc
    events.file_done(item.sink.rel_path, transferred=True)


def download_all(
    http: HttpClient,
    items: Sequence[tuple[str, DownloadItem]],
    events: TransferEvents,
    *,
    threads: int,
    ranges: RangePolicy | None = None,
) -> None:
    """Download every ``(url, item)``, or stop the others and raise the first error.

    Files of at least ``ranges.threshold`` bytes arrive as ``ranges.parts`` concurrent
    byte ranges when their sink takes writes at offsets.
    """
    policy = ranges or RangePolicy(parts=1)

    def task(url: str, item: DownloadItem) -> Callable[[threading.Event], None]:
        return lambda stop: _download_one(http, url, item, events, stop, policy)

    run_parallel([task(url, item) for url, item in items], threads=threads, name="frogml-get")
