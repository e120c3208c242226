"""Reading an answer that has begun: fewer than N bytes in T seconds is a stall.

urllib3's read timeout bounds each socket read, so a server sending one byte a second
holds a plain ``read()`` for ever. Here every body, JSON or file, is read with one
socket read at a time (``read1``), each given only the time left in the current
window, and a window that ends with fewer than ``min_bytes`` raises
:class:`StalledError`, which is retried like a broken connection. Waiting for an
answer to begin is not a stall: the read timeout (``JFML_TIMEOUT``) bounds that.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator
from typing import Protocol

import urllib3
import urllib3.exceptions as u3

from frogml.adapters.artifactory._errors import RetryableError
from frogml.adapters.artifactory.settings import StallPolicy

__all__ = ["StallGuard", "StalledError", "read_body", "read_chunks"]

_SMALLEST_WAIT = 0.001  # a zero socket timeout would mean "non-blocking"
HEAD_BYTES = 512  # what a drained answer keeps: enough to tell an HTML page


class StalledError(RetryableError):
    """An answer that had begun stopped moving: fewer than N bytes in T seconds."""


class _Timed(Protocol):
    def settimeout(self, value: float | None, /) -> None: ...


class StallGuard:
    """Counts the bytes of one answer in windows of ``policy.seconds``.

    A window ends early once ``policy.min_bytes`` arrived (the next one starts then);
    one that lasts ``policy.seconds`` with fewer bytes is a stall. ``clock`` is
    monotonic seconds, injectable so tests need no real waiting.
    """

    def __init__(self, policy: StallPolicy, *, clock: Callable[[], float], what: str) -> None:
        self._policy = policy
        self._clock = clock
        self._what = what
        self._start = clock()
        self._bytes = 0

    def remaining(self) -> float:
        """Seconds left in the current window (at least a millisecond)."""
        left = self._start + self._policy.seconds - self._clock()
        return min(self._policy.seconds, max(_SMALLEST_WAIT, left))

    def moved(self, nbytes: int) -> None:
        """``nbytes`` more arrived; raise :class:`StalledError` when the window is over."""
        now = self._clock()
        self._bytes += nbytes
        if self._bytes >= self._policy.min_bytes:
            self._start, self._bytes = now, 0
        elif now - self._start >= self._policy.seconds:
            raise self.stalled()

    def stalled(self) -> StalledError:
        policy = self._policy
        return StalledError(
            f"{self._what}: the server's answer stalled (fewer than {policy.min_bytes} bytes "
            f"in {policy.seconds:g} s)"
        )


def _socket(response: urllib3.BaseHTTPResponse) -> _Timed | None:
    """The socket while ``response`` holds its connection; None once urllib3 gave the
    connection back to the pool (it does so itself when a read ends the body): from
    then on the socket may serve another request, on another thread."""
    connection = getattr(response, "connection", None)
    sock = getattr(connection, "sock", None)
    return sock if sock is not None and hasattr(sock, "settimeout") else None


def _next_read(
    response: urllib3.BaseHTTPResponse, guard: StallGuard, size: int, restore: float | None
) -> int:
    """Set the socket's timeout for the next read and return how much to ask for.

    Every read may wait only for the rest of the stall window, except one that may end
    the body: urllib3 then hands the connection back to the pool within the read, with
    whatever timeout the socket has, and the next request on it would inherit it. So
    the last byte of a body of known length is read alone under ``restore`` (the wait
    for an answer), as is all of a body of unknown length (chunked): there the stall
    rule still applies between reads, and silence is bounded by ``restore``.
    """
    sock = _socket(response)
    remaining = getattr(response, "length_remaining", None)
    ends = remaining is None or remaining <= 1
    if sock is not None and restore is not None:
        sock.settimeout(restore if ends else guard.remaining())
    return size if remaining is None or ends else min(size, remaining - 1)


def read_chunks(
    response: urllib3.BaseHTTPResponse,
    guard: StallGuard,
    *,
    size: int = 1 << 20,
    restore: float | None = None,
) -> Generator[bytes, None, None]:
    """The body of ``response`` as it arrives, at most ``size`` bytes per chunk.

    Raises :class:`StalledError` on a stall, urllib3's errors otherwise. ``restore``
    is the socket timeout the connection goes back to the pool with (the read timeout);
    without it the socket's timeout is left alone and only the window rule applies.
    """
    try:
        while True:
            amount = _next_read(response, guard, size, restore)
            try:
                data = response.read1(amount, decode_content=False)
            except u3.ReadTimeoutError as exc:  # nothing at all until the window ended
                raise guard.stalled() from exc
            if not data:
                return
            guard.moved(len(data))
            yield data
    finally:
        sock = _socket(response)  # still ours: the body was not read to its end
        if sock is not None and restore is not None:
            with contextlib.suppress(OSError):  # closed: it does not go back to the pool
                sock.settimeout(restore)


def read_body(
    response: urllib3.BaseHTTPResponse, guard: StallGuard, *, limit: int, restore: float | None
) -> bytes:
    """At most ``limit + 1`` bytes of the body (one more tells that it was longer)."""
    parts: list[bytes] = []
    _read_bounded(response, guard, limit=limit, restore=restore, keep=parts.append)
    return b"".join(parts)


def drain(
    response: urllib3.BaseHTTPResponse,
    guard: StallGuard,
    *,
    limit: int,
    restore: float | None,
    head: bytearray | None = None,
) -> int:
    """Read at most ``limit + 1`` bytes of the body and keep none but its first bytes
    into ``head`` (up to its room: ``HEAD_BYTES``); how many were read."""
    if head is None:
        return _read_bounded(response, guard, limit=limit, restore=restore, keep=None)

    def keep(piece: bytes) -> None:
        if len(head) < HEAD_BYTES:
            head.extend(piece[: HEAD_BYTES - len(head)])

    return _read_bounded(response, guard, limit=limit, restore=restore, keep=keep)


def _read_bounded(
    response: urllib3.BaseHTTPResponse,
    guard: StallGuard,
    *,
    limit: int,
    restore: float | None,
    keep: Callable[[bytes], object] | None,
) -> int:
    total = 0
    chunks = read_chunks(response, guard, size=min(1 << 20, limit + 1), restore=restore)
    try:
        for chunk in chunks:
            piece = chunk[: limit + 1 - total]
            total += len(piece)
            if keep is not None:
                keep(piece)
            if total > limit:
                break
    finally:
        chunks.close()  # puts the socket's timeout back now, not when collected
    return total
