"""A network model between a client and a server on loopback: a TCP proxy that adds what
a wide-area link costs, so benchmarks measure round trips and bandwidth, not loopback.

The model, per direction of every connection:

- **latency**: each chunk of bytes arrives half a round trip after it was sent;
- **per-connection bandwidth**: one connection moves at most ``conn_mbps`` MB/s;
- **shared link bandwidth**: all connections together move at most ``link_mbps`` MB/s;
- **window**: at most ``window_kib`` KiB are in flight per connection (TCP's receive
  window), so a sender cannot outrun the link by queueing in the proxy;
- **handshake**: a new connection is usable only after ``handshake_rtts`` round trips
  (TCP plus TLS), which is what connection reuse saves.

Run it standalone (prints its URL, then serves until interrupted)::

    python benchmarks/netem.py --upstream 127.0.0.1:8081 --rtt-ms 40 \\
        --conn-mbps 32 --link-mbps 128 --handshake-rtts 2

or in-process with :class:`NetworkModel` (a context manager running its own loop in a
thread). Only 127.0.0.1 is ever used.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import threading
import time
from collections import deque
from dataclasses import dataclass
from types import TracebackType

__all__ = ["LAN", "WAN", "Link", "NetworkModel"]

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Link:
    """What the modelled network costs. Bandwidths in MB/s (10^6 bytes per second)."""

    rtt_ms: float = 40.0
    conn_mbps: float = 32.0
    link_mbps: float = 128.0
    handshake_rtts: float = 2.0
    window_kib: int = 4096

    @property
    def one_way(self) -> float:
        return self.rtt_ms / 2000.0


WAN = Link()
LAN = Link(rtt_ms=0.2, conn_mbps=1000.0, link_mbps=1000.0, handshake_rtts=1.0)


class _Pacer:
    """When the next byte may leave: a bandwidth shared by whoever asks (thread-safe
    within one event loop, which is all that uses it)."""

    def __init__(self, mbps: float) -> None:
        self._seconds_per_byte = 1.0 / (mbps * 1e6)
        self._free_at = 0.0

    def reserve(self, nbytes: int, earliest: float) -> float:
        start = max(self._free_at, earliest)
        self._free_at = start + nbytes * self._seconds_per_byte
        return self._free_at


class NetworkModel:
    """A TCP proxy from ``127.0.0.1:<port>`` to ``upstream``, shaping as ``link`` says."""

    def __init__(self, upstream: tuple[str, int], link: Link) -> None:
        self.upstream = upstream
        self.link = link
        self.port = 0
        self.connections = 0
        self._links = {"up": _Pacer(link.link_mbps), "down": _Pacer(link.link_mbps)}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None

    # -- lifecycle (a thread with its own event loop) -------------------------------
    def __enter__(self) -> NetworkModel:
        self._thread = threading.Thread(target=self._run, name="netem", daemon=True)
        self._thread.start()
        self._ready.wait(30)
        if not self.port:
            raise RuntimeError("the network model did not start")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(30)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()
        server.close()

    # -- one connection ------------------------------------------------------------
    async def _connection(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        with contextlib.suppress(asyncio.CancelledError):  # the model is shutting down
            await self._shape(client_reader, client_writer)

    async def _shape(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        await asyncio.sleep(self.link.handshake_rtts * self.link.rtt_ms / 1000.0)
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.close()
            return
        conn = self.link.conn_mbps
        await asyncio.gather(
            self._pipe(client_reader, server_writer, _Pacer(conn), self._links["up"]),
            self._pipe(server_reader, client_writer, _Pacer(conn), self._links["down"]),
            return_exceptions=True,
        )

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        mine: _Pacer,
        shared: _Pacer,
    ) -> None:
        """Read as the window allows, deliver each chunk when the link would have."""
        queue: deque[tuple[float, bytes]] = deque()
        in_flight = 0
        window = self.link.window_kib * 1024
        arrived = asyncio.Event()
        done = False

        async def deliver() -> None:
            nonlocal in_flight
            while True:
                while not queue:
                    if done:
                        return
                    arrived.clear()
                    await arrived.wait()
                due, chunk = queue.popleft()
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                if not writer.is_closing():  # the peer may have hung up (a cut range)
                    writer.write(chunk)
                    with contextlib.suppress(ConnectionError):
                        await writer.drain()
                in_flight -= len(chunk)
                arrived.set()

        sender = asyncio.create_task(deliver())
        try:
            while True:
                while in_flight >= window:
                    arrived.clear()
                    await arrived.wait()
                chunk = await reader.read(_CHUNK)
                if not chunk:
                    break
                now = time.monotonic()
                sent = max(mine.reserve(len(chunk), now), shared.reserve(len(chunk), now))
                queue.append((sent + self.link.one_way, chunk))
                in_flight += len(chunk)
                arrived.set()
        except ConnectionError:
            pass
        finally:
            done = True
            arrived.set()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await sender
            with contextlib.suppress(Exception):
                writer.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="HOST:PORT of the real server")
    parser.add_argument("--rtt-ms", type=float, default=WAN.rtt_ms)
    parser.add_argument("--conn-mbps", type=float, default=WAN.conn_mbps)
    parser.add_argument("--link-mbps", type=float, default=WAN.link_mbps)
    parser.add_argument("--handshake-rtts", type=float, default=WAN.handshake_rtts)
    args = parser.parse_args()
    host, _, port = args.upstream.rpartition(":")
    link = Link(
        rtt_ms=args.rtt_ms,
        conn_mbps=args.conn_mbps,
        link_mbps=args.link_mbps,
        handshake_rtts=args.handshake_rtts,
    )
    with NetworkModel((host or "127.0.0.1", int(port)), link) as model:
        print(model.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
