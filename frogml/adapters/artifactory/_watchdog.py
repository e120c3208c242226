"""Bounding what happens inside one socket call: sending a body, reading the headers.

urllib3's timeouts bound each socket call. A server that reads an upload a kilobyte a
second keeps every ``send`` moving, and one that sends its headers a byte a second
keeps every ``recv`` moving: neither call times out, and the request never ends. The
body of an answer is read in bounded windows by :mod:`._stall`; this module covers
the two phases before it, with the same rule (fewer than ``min_bytes`` in
``seconds`` is a stall):

- **sending**: the body goes out in slices of ``min_bytes``; each must leave within
  ``seconds``;
- **the answer's head**: once the request is sent, the answer may take the read
  timeout to begin (a server may think long after a big upload, protocol page §2)
  plus ``seconds`` for its status line and headers, which are small.

A :class:`Watchdog` thread (one per client, started on first use) shuts a socket
down when its deadline passes; the call blocked on it returns at once, and the
connection raises :class:`HeadStalled`, which the client turns into a retryable
:class:`~frogml.adapters.artifactory._stall.StalledError`. Connections made by
:func:`watch_pool` report to it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from http.client import HTTPException  # BadStatusLine, RemoteDisconnected, LineTooLong
from typing import Any, ClassVar

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from frogml.adapters.artifactory._interim import answer_class
from frogml.adapters.artifactory.settings import StallPolicy

__all__ = ["HeadStalled", "Watchdog", "watch_pool"]

_IDLE = 30.0  # seconds with nothing to watch before the thread ends (arm() starts one)


class HeadStalled(Exception):  # not an OSError: urllib3 must not wrap it
    """A request's body or the answer's head stopped moving; ``phase`` says which."""

    def __init__(self, phase: str) -> None:
        super().__init__(phase)
        self.phase = phase


class Watchdog:
    """Shuts down the socket of a connection whose deadline passed.

    ``clock`` is monotonic seconds; the thread waits on a condition, so arming an
    earlier deadline wakes it. Deadlines are per connection: each is used by one
    thread at a time (urllib3's pool hands a connection to one request).
    """

    def __init__(self, policy: StallPolicy, *, clock: Callable[[], float] = time.monotonic):
        self.policy = policy
        self._clock = clock
        self._lock = threading.Condition()
        self._deadlines: dict[_Watched, float] = {}
        self._thread: threading.Thread | None = None
        self._wake = float("inf")  # when the thread wakes up next
        self._closed = False

    def arm(self, connection: _Watched, seconds: float) -> None:
        """``connection`` must make progress within ``seconds`` from now."""
        with self._lock:
            if self._closed:
                return
            deadline = self._clock() + seconds
            self._deadlines[connection] = deadline
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="frogml-watchdog", daemon=True
                )
                self._thread.start()
            if deadline < self._wake:  # later deadlines need no wake-up (most of them)
                self._lock.notify()

    def disarm(self, connection: _Watched) -> None:
        with self._lock:
            self._deadlines.pop(connection, None)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._deadlines.clear()
            self._lock.notify()

    def _run(self) -> None:
        idle_since: float | None = None
        with self._lock:
            while not self._closed:
                now = self._clock()
                expired = [c for c, d in self._deadlines.items() if d <= now]
                for connection in expired:
                    del self._deadlines[connection]
                    connection.cut()
                if self._deadlines:
                    idle_since = None
                elif idle_since is None:
                    idle_since = now
                elif now - idle_since >= _IDLE:  # nothing to watch: arm() starts another
                    break
                wait = min(self._deadlines.values(), default=now + _IDLE) - now
                wait = max(0.001, min(wait, _IDLE))
                self._wake = now + wait
                self._lock.wait(wait)
            self._thread = None
            self._wake = float("inf")


class _Watched(HTTPConnection):
    """A connection whose sending and answer head are watched (see the module)."""

    watchdog: ClassVar[Watchdog]
    response_class = answer_class()  # interim (1xx) answers skipped: see _interim
    _stalled: str | None = None
    _phase: str = "sending the request"

    def cut(self) -> None:
        """Called by the watchdog: end the blocked call by shutting the socket down."""
        self._stalled = self._phase
        sock = self.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def request(self, *args: Any, **kwargs: Any) -> None:
        self._stalled = None
        self._phase = "sending the request"
        try:
            super().request(*args, **kwargs)
        except OSError:
            self.watchdog.disarm(self)
            if self._stalled is not None:
                raise HeadStalled(self._stalled) from None
            raise
        except BaseException:
            self.watchdog.disarm(self)
            raise

    def send(self, data: Any) -> None:
        policy = self.watchdog.policy
        if not isinstance(data, (bytes, bytearray, memoryview)):
            self.watchdog.arm(self, policy.seconds)
            super().send(data)
            return
        view = memoryview(data)
        step = max(1, policy.min_bytes)
        for start in range(0, len(view), step):
            self.watchdog.arm(self, policy.seconds)
            super().send(view[start : start + step])

    def getresponse(self) -> Any:
        policy = self.watchdog.policy
        read = self.timeout if isinstance(self.timeout, (int, float)) else None
        self._phase = "waiting for the answer's headers"
        # The answer may take the read timeout to begin, then its head has a window.
        self.watchdog.arm(self, (read or policy.seconds) + policy.seconds)
        try:
            response = super().getresponse()
            if self._stalled is not None:  # cut short, http.client may take it as the end
                response.close()
                raise HeadStalled(self._stalled)
            return response
        except (OSError, urllib3.exceptions.HTTPError, HTTPException):
            if self._stalled is not None:
                raise HeadStalled(self._stalled) from None
            raise
        finally:
            self.watchdog.disarm(self)


def watch_pool(pool: urllib3.PoolManager, watchdog: Watchdog) -> None:
    """Make every connection ``pool`` opens from now on report to ``watchdog``."""
    namespace = {"watchdog": watchdog}
    plain = type("WatchedHTTPConnection", (_Watched,), namespace)
    secure = type("WatchedHTTPSConnection", (_Watched, HTTPSConnection), namespace)
    pools = {
        "http": type("WatchedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": plain}),
        "https": type("WatchedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": secure}),
    }
    pool.pool_classes_by_scheme = pools
