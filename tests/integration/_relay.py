"""A TCP relay on 127.0.0.1 in front of a server, counting what passes: the connections
it accepts, the most open at once, and the requests each connection carries (a request:
a read that starts with an HTTP method). Shared by the tests of connection reuse."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType

__all__ = ["CountingRelay", "upstream_of"]

_WAIT = 30.0  # seconds a condition may take before the test fails (never slept)
_METHODS = (b"GET ", b"HEAD ", b"PUT ", b"POST ", b"DELETE ")


def upstream_of(url: str) -> tuple[str, int]:
    """The host and port of a server URL (``scheme://host:port/...``)."""
    hostport = url.split("://", 1)[1].split("/", 1)[0]
    host, _, port = hostport.rpartition(":")
    return host, int(port)


class CountingRelay:
    """``delay``: seconds each request is held before it goes on (a server that far)."""

    def __init__(self, upstream: tuple[str, int], *, delay: float = 0.0) -> None:
        self._upstream = upstream
        self._delay = delay
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.requests: list[int] = []  # per accepted connection, in order
        self.most_open = 0
        self._open = 0
        self._changed = threading.Condition()

    def __enter__(self) -> CountingRelay:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._listener.close()

    def url_for(self, url: str) -> str:
        """``url`` with this relay in place of its server."""
        scheme, rest = url.split("://", 1)
        path = rest.split("/", 1)[1] if "/" in rest else ""
        return f"{scheme}://127.0.0.1:{self.port}/{path}"

    @property
    def accepted(self) -> int:
        with self._changed:
            return len(self.requests)

    def wait_accepted(self, count: int) -> None:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.requests) >= count, _WAIT)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self._upstream)
            with self._changed:
                index = len(self.requests)
                self.requests.append(0)
                self._open += 1
                self.most_open = max(self.most_open, self._open)
                self._changed.notify_all()
            closed = threading.Barrier(2, action=self._closed)
            threading.Thread(
                target=self._pipe, args=(client, server, closed, index), daemon=True
            ).start()
            threading.Thread(
                target=self._pipe, args=(server, client, closed, None), daemon=True
            ).start()

    def _closed(self) -> None:
        with self._changed:
            self._open -= 1

    def _pipe(
        self,
        source: socket.socket,
        sink: socket.socket,
        closed: threading.Barrier,
        index: int | None,
    ) -> None:
        try:
            while data := source.recv(65536):
                if index is not None and data.startswith(_METHODS):
                    with self._changed:
                        self.requests[index] += 1
                        self._changed.notify_all()
                    if self._delay:
                        time.sleep(self._delay)  # the distance modelled, not a wait
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            closed.wait()
            source.close()
