"""A large file as concurrent byte ranges, written at their offsets into one sink.

Each range retries on its own and resumes where it stopped; the sink hashes the
contiguous prefix as it grows, and its commit verifies the whole file, so nothing
unverified ever appears under the final name.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import urllib3
import urllib3.exceptions as u3

from frogml.adapters.artifactory._answers import foreign_file_answer
from frogml.adapters.artifactory._errors import RetryableError, network_error
from frogml.adapters.artifactory._http import Answer, HttpClient
from frogml.adapters.artifactory._transfer import Cancelled, Progress, run_parallel
from frogml.domain.errors import ProtocolError
from frogml.domain.ports.filesystem import RangedFileSink

__all__ = ["RangesRefused", "receive_ranges", "spans"]

_MAX_ERROR_BODY = 64 * 1024


class RangesRefused(Exception):  # a signal to fall back, not an error
    """The server answered a range request with the whole file: download it in one go."""


def spans(start: int, size: int, parts: int) -> list[tuple[int, int]]:
    """``[a, b)`` ranges splitting ``[start, size)`` into ``parts`` nearly equal pieces."""
    step = -(-(size - start) // max(1, parts))
    return [(a, min(a + step, size)) for a in range(start, size, max(1, step))]


def _first_byte(response: urllib3.BaseHTTPResponse) -> int | None:
    unit, _, spec = (response.headers.get("Content-Range") or "").partition(" ")
    first = spec.partition("-")[0]
    return int(first) if unit.lower() == "bytes" and first.isdigit() else None


def _open_range(
    http: HttpClient, url: str, first: int, last: int, size: int, what: str
) -> urllib3.BaseHTTPResponse:
    headers = {"Range": f"bytes={first}-{last}"}
    response = http.open("GET", url, what=what, headers=headers, stream=True)
    foreign = foreign_file_answer(response.headers, size=size, expected=last + 1 - first)
    if response.status == 206 and _first_byte(response) == first and foreign is None:
        return response
    try:
        body = (
            b""
            if response.status in (200, 206)
            else http.read_body(response, what=what, limit=_MAX_ERROR_BODY)
        )
    except u3.HTTPError as exc:  # the error answer itself was cut
        raise network_error(exc, what=what) from exc
    finally:
        response.close()
        response.release_conn()
    if response.status == 206 and foreign is not None:
        raise RetryableError(f"{what}: the server answered {foreign}")
    if response.status == 200:
        raise RangesRefused(what)
    if response.status in (206, 416):
        raise RetryableError(f"{what}: the server answered another range (HTTP {response.status})")
    http.check(Answer(status=response.status, headers=response.headers, body=body), what=what)
    raise ProtocolError(f"{what}: unexpected answer HTTP {response.status}")


class _Range:
    """One ``[start, end)`` piece; ``position`` survives retries, so they resume."""

    def __init__(self, start: int, end: int, size: int) -> None:
        self.position = start
        self.end = end
        self.size = size  # the whole file's

    def attempt(
        self,
        http: HttpClient,
        url: str,
        sink: RangedFileSink,
        advance: Callable[[int], None],
        stopped: Callable[[], bool],
        what: str,
    ) -> None:
        if stopped():
            raise Cancelled("download cancelled")
        response = _open_range(http, url, self.position, self.end - 1, self.size, what)
        complete = False
        try:
            for chunk in http.body_chunks(response, what=what):  # a stall raises
                if stopped():
                    raise Cancelled("download cancelled")
                if self.position + len(chunk) > self.end:
                    raise RetryableError(f"{what}: the server sent more bytes than the range")
                sink.write_at(self.position, chunk)
                self.position += len(chunk)
                advance(len(chunk))
            if self.position != self.end:
                raise RetryableError(f"{what}: a range was cut short")
            complete = True
        except u3.HTTPError as exc:
            raise network_error(exc, what=what) from exc
        finally:
            if not complete:
                response.close()  # the connection holds unread bytes
            response.release_conn()


def receive_ranges(
    http: HttpClient,
    url: str,
    sink: RangedFileSink,
    size: int,
    progress: Progress,
    stop: threading.Event,
    *,
    parts: int,
    what: str,
) -> None:
    """Fill ``sink`` from its offset to ``size`` with ``parts`` concurrent ranges.

    Raises :class:`RangesRefused` when the server ignores ranges (nothing useful was
    written beyond the sink's offset then).
    """
    lock = threading.Lock()
    progress.seek(sink.offset)

    def advance(nbytes: int) -> None:
        with lock:  # Progress is not thread-safe; ranges report concurrently
            progress.advance(nbytes)

    def task(piece: _Range) -> Callable[[threading.Event], None]:
        def run(inner: threading.Event) -> None:
            def stopped() -> bool:
                return stop.is_set() or inner.is_set()

            http.retrier.run(
                lambda: piece.attempt(http, url, sink, advance, stopped, what),
                what=what,
                cancelled=stopped,
            )

        return run

    pieces = [_Range(a, b, size) for a, b in spans(sink.offset, size, parts)]
    run_parallel([task(p) for p in pieces], threads=len(pieces), name="frogml-range")
