"""A large file as concurrent byte ranges, written at their offsets into one sink.

Each range retries on its own and resumes where it stopped; the sink hashes the
contiguous prefix as it grows, and its commit verifies the whole file, so nothing
unverified ever appears under the final name.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

import urllib3
import urllib3.exceptions as u3

from frogml.adapters.artifactory._answers import foreign_file_answer
from frogml.adapters.artifactory._errors import RetryableError, network_error
from frogml.adapters.artifactory._http import Answer, HttpClient
from frogml.adapters.artifactory._transfer import Cancelled, Parallel, Progress
from frogml.adapters.artifactory.settings import RangePolicy
from frogml.domain.errors import ProtocolError
from frogml.domain.ports.filesystem import RangedFileSink

__all__ = ["RangesRefused", "blocks", "receive_ranges", "spans", "streams_for"]

_MAX_ERROR_BODY = 64 * 1024


class RangesRefused(Exception):  # a signal to fall back, not an error
    """The server answered a range request with the whole file, or with a part that does
    not say where it belongs: download the file in one go."""


def spans(start: int, size: int, parts: int) -> list[tuple[int, int]]:
    """``[a, b)`` ranges splitting ``[start, size)`` into ``parts`` nearly equal pieces."""
    step = -(-(size - start) // max(1, parts))
    return [(a, min(a + step, size)) for a in range(start, size, max(1, step))]


def _first_byte(response: urllib3.BaseHTTPResponse) -> int | None:
    unit, _, spec = (response.headers.get("Content-Range") or "").partition(" ")
    first = spec.partition("-")[0]
    return int(first) if unit.lower() == "bytes" and first.isascii() and first.isdigit() else None


def _open_range(
    http: HttpClient, url: str, first: int, last: int, size: int, what: str
) -> urllib3.BaseHTTPResponse:
    headers = {"Range": f"bytes={first}-{last}"}
    response = http.open("GET", url, what=what, headers=headers, stream=True)
    foreign = foreign_file_answer(response.headers, size=size, expected=last + 1 - first)
    at = _first_byte(response)
    if response.status == 206 and at == first and foreign is None:
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
    if response.status == 200 or (response.status == 206 and at is None):
        # The whole file, or a part whose place cannot be read (a proxy that drops or
        # mangles Content-Range): either way, its bytes come in one plain GET.
        raise RangesRefused(what)
    if response.status in (206, 416):
        raise RetryableError(f"{what}: the server answered another range (HTTP {response.status})")
    http.check(Answer(status=response.status, headers=response.headers, body=body), what=what)
    raise ProtocolError(f"{what}: unexpected answer HTTP {response.status}")


def streams_for(
    remaining: int, rate: float, *, most: int, target_rate: float, min_part: int
) -> int:
    """How many concurrent streams should move ``remaining`` bytes, one connection
    having been measured at ``rate`` bytes per second.

    As many as it takes to reach ``target_rate`` (a link's worth for one file), at most
    ``most``, and no part smaller than ``min_part``; one when a single connection
    already reaches ``target_rate`` (loopback: more streams would only compete for the
    CPU with each other and with the hashing).
    """
    if rate >= target_rate or remaining < 2 * min_part:
        return 1
    wanted = math.ceil(target_rate / max(rate, 1.0))
    return max(1, min(wanted, most, remaining // min_part))


class _Range:
    """One ``[start, end)`` piece; ``position`` survives retries, so they resume.

    The first piece of an adaptive download asks for the whole rest of the file; once
    measured, ``end`` may be moved closer (by its own thread, in ``measure``) and the
    rest handed to other pieces: it then stops reading there and drops its connection.
    """

    def __init__(
        self,
        start: int,
        end: int,
        size: int,
        measure: Callable[[_Range, int, float], None] | None = None,
    ) -> None:
        self.position = start
        self.end = end
        self.size = size  # the whole file's
        self.measure = measure
        self.asked = 0.0  # when the current attempt asked for its bytes (monotonic)

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
        asked = self.end
        self.asked = time.monotonic()
        response = _open_range(http, url, self.position, asked - 1, self.size, what)
        complete = False
        try:
            for chunk in http.body_chunks(response, what=what):  # a stall raises
                if stopped():
                    raise Cancelled("download cancelled")
                if self.position + len(chunk) > asked:
                    raise RetryableError(f"{what}: the server sent more bytes than the range")
                if self.position + len(chunk) > self.end:  # cut short after measuring
                    chunk = chunk[: self.end - self.position]
                sink.write_at(self.position, chunk)
                self.position += len(chunk)
                advance(len(chunk))
                if self.measure is not None:
                    self.measure(self, len(chunk), time.monotonic())
                if self.position >= self.end:
                    break
            if self.position != self.end:
                raise RetryableError(f"{what}: a range was cut short")
            complete = self.end == asked
        except u3.HTTPError as exc:
            raise network_error(exc, what=what) from exc
        finally:
            if not complete:
                response.close()  # the connection holds unread bytes
            response.release_conn()


_BLOCKS_PER_STREAM = 8


def blocks(start: int, end: int, streams: int, min_part: int) -> list[tuple[int, int]]:
    """``[a, b)`` blocks of ``[start, end)`` in file order: about ``_BLOCKS_PER_STREAM``
    per stream, the first round (one per stream) from half a block to one and a half,
    the last round half as big, none under ``min_part`` (a remainder joins the block
    before it; one block may be smaller).

    Streams take the blocks in order, so the file arrives nearly front to back and its
    hash (over the contiguous prefix) keeps up with the transfer instead of waiting
    for the end; a stream that finishes a block early takes the next one, so a slow
    connection delays no more than its current block, and the smaller last blocks
    keep every stream busy until close to the end. Streams that start together would
    end equal first blocks together, and all wait a round trip for their next at once,
    leaving the link idle (40 ms at 0.3 s into a 256 MiB download across the modelled
    WAN); staggered, one waits while the others fill the link.
    """
    streams = max(1, streams)
    size = max(min_part, -(-(end - start) // (streams * _BLOCKS_PER_STREAM)))
    small = max(min_part, size // 2)
    tail = max(start, end - streams * small)
    found: list[tuple[int, int]] = []
    a = start
    for k in range(streams):  # the first round staggered, from half a block to 1.5
        step = max(min_part, size * (streams + 2 * k) // (2 * streams))
        if a + step > tail:
            break
        found.append((a, a + step))
        a += step
    found += [(b, min(b + size, tail)) for b in range(a, tail, size)]
    found += [(a, min(a + small, end)) for a in range(tail, end, small)]
    merged: list[tuple[int, int]] = []
    for a, b in found:  # a remainder under min_part joins the block before it
        if merged and (b - a < min_part or merged[-1][1] - merged[-1][0] < min_part):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


FAR = 0.010
"""Seconds from asking for the first range to its first bytes from which new connections
are worth opening ahead: a heuristic for distance (it also counts the server's own time
to answer), where a handshake costs round trips of that size; on a LAN a handshake costs
less than warming."""


def far(distance: float | None) -> bool:
    """True when the server is known to be far enough (``FAR``) for connections opened
    ahead to save time; not before the first answer, nor on a LAN."""
    return distance is not None and distance >= FAR


def streams_ahead(distance: float | None, size: int, *, policy: RangePolicy, most: int) -> int:
    """How many streams a file of ``size`` bytes opens at once: ``policy.parts``, or
    across a distance (``distance``, the server's quickest answer so far, of ``FAR`` or
    more) as many as ``most`` allows with no part under ``policy.min_part``; otherwise
    one (measured first, then split: see :func:`receive_ranges`)."""
    most = max(1, min(most, policy.max_parts))
    if not policy.applies(size):
        return 1
    if policy.parts is not None:
        return min(policy.parts, most)
    if far(distance):
        return max(1, min(most, size // policy.min_part))
    return 1


class _Splitter:
    """Measures the first stream, then hands the rest of the file to more streams."""

    def __init__(
        self,
        policy: RangePolicy,
        most: int,
        start_pieces: Callable[[list[_Range]], None],
        grow: Callable[[int], None],
        warm: Callable[[int], None],
    ) -> None:
        self._policy = policy
        self._most = most
        self._start_pieces = start_pieces
        self._grow = grow
        self._warm = warm
        self._first: tuple[int, float] | None = None  # bytes counted, when
        self.streams = 1

    def __call__(self, piece: _Range, nbytes: int, now: float) -> None:
        if self._first is None:  # the first block also carries the answer's latency
            self._first = (0, now)
            if now - piece.asked >= FAR:
                # While the first stream is measured, the others' connections open: a
                # split then finds them ready instead of paying a handshake each (two
                # round trips, as long as the measure itself on a 40 ms link).
                self._warm(self._most - 1)
            return
        moved = self._first[0] + nbytes
        self._first = (moved, self._first[1])
        if moved < self._policy.probe:
            return
        piece.measure = None  # measured once
        rate = moved / max(now - self._first[1], 1e-6)
        remaining = piece.end - piece.position
        policy = self._policy
        count = streams_for(
            remaining,
            rate,
            most=self._most,
            target_rate=policy.target_rate,
            min_part=policy.min_part,
        )
        self.streams = count
        if count <= 1:
            return
        (_, mine), *rest = blocks(piece.position, piece.end, count, policy.min_part)
        pieces = [_Range(a, b, piece.size) for a, b in rest]
        piece.end = mine
        self._grow(count)
        self._start_pieces(pieces)


class _Early:
    """Measures streams that all started at once (across a distance), then lets go of
    those a single connection makes unnecessary.

    The rate is counted over every stream from the first block of any: what one
    connection moved while sharing the path with the others, a bound from below of what
    it could move alone, so it lets streams go only when one connection is clearly enough
    (never on a link that caps each connection, as a wide-area one does). When the
    first block comes quickly after all (the distance counted a new connection's
    handshake, or a server slow to answer once), the others stop after their first
    block, and the one stream left is measured and split as a download that starts
    near is (:class:`_Splitter`).
    """

    def __init__(
        self,
        policy: RangePolicy,
        streams: int,
        shrink: Callable[[int], None],
        grow: Callable[[int], None],
    ) -> None:
        self._policy = policy
        self._most = streams
        self._shrink = shrink
        self._grow = grow
        self._lock = threading.Lock()
        self._began: float | None = None
        self._moved = 0
        self._near: _Range | None = None  # the one stream measured when near after all
        self._done = False
        self.streams = streams

    def __call__(self, piece: _Range, nbytes: int, now: float) -> None:
        with self._lock:  # a block's worth of work per call: no contention to speak of
            if self._done:
                return
            if self._began is None:  # the first block also carries the answer's latency
                self._began = now
                if now - piece.asked < FAR:
                    self._near, self.streams = piece, 1
                    self._shrink(1)
                return
            near = self._near
            if near is not None and piece is not near and piece.asked <= self._began:
                return  # the others finishing their first block: not the stream measured
            self._moved += nbytes
            if self._moved < self._policy.probe * self.streams:
                return
            self._done = True
            rate = self._moved / max(now - self._began, 1e-6) / self.streams
            policy = self._policy
            wanted = streams_for(
                piece.size,  # as if a measure came first: the whole file is at stake
                rate,
                most=self._most,
                target_rate=policy.target_rate,
                min_part=policy.min_part,
            )
            if self._near is not None and wanted > 1:
                self.streams = wanted
                self._grow(wanted)  # the blocks left go to the new threads too
            elif self._near is None and wanted < self.streams:
                self.streams = wanted
                self._shrink(wanted)


def receive_ranges(
    http: HttpClient,
    url: str,
    sink: RangedFileSink,
    size: int,
    progress: Progress,
    stop: threading.Event,
    *,
    policy: RangePolicy,
    most: int,
    what: str,
) -> int:
    """Fill ``sink`` from its offset to ``size`` with concurrent ranges.

    ``policy.parts`` ranges from the start, or (``parts=None``) one stream that is
    measured, then as many streams as :func:`streams_for` says (never more than
    ``most``) taking the rest of the file in :func:`blocks`, in order. Across a
    distance (the server's quickest answer took ``FAR`` or more), ``most`` streams
    start at once instead, and those a measure finds unnecessary stop after their block:
    a measure first would leave the path a stream's share of it for round trips.
    Returns the number of streams used. Raises :class:`RangesRefused` when the server
    ignores ranges (nothing useful was written beyond the sink's offset then).
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

    most = max(1, min(most, policy.max_parts))
    if policy.parts is not None:
        parts = min(policy.parts, most)
        pieces = [_Range(a, b, size) for a, b in spans(sink.offset, size, parts)]
        run: Parallel[None] = Parallel(name="frogml-range", limit=len(pieces))
        run.add(*(task(piece) for piece in pieces))
        run.finish()
        return len(pieces)
    distance = http.distance
    remaining = size - sink.offset
    if far(distance) and most > 1:
        count = streams_ahead(distance, remaining, policy=policy, most=most)
        run = Parallel(name="frogml-range", limit=count)
        early = _Early(policy, count, run.shrink, run.grow)
        pieces = [
            _Range(a, b, size, measure=early)
            for a, b in blocks(sink.offset, size, count, policy.min_part)
        ]
        run.add(*map(task, pieces))
        run.finish()
        return early.streams
    run = Parallel(name="frogml-range", limit=1)
    splitter = _Splitter(
        policy,
        most,
        lambda pieces: run.add(*map(task, pieces)),
        run.grow,
        lambda count: http.warm(url, count),
    )
    run.add(task(_Range(sink.offset, size, size, measure=splitter)))
    run.finish()
    return splitter.streams
