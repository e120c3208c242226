"""Warming the pool: the connections a download opens before its first file request are
the ones its requests use, never more than the cap or than the files need, and a
warm-up that fails says nothing (the real request reports)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import threading
import time
from pathlib import Path
from types import TracebackType

import pytest

from frogml.adapters.artifactory import ArtifactoryStore
from frogml.adapters.artifactory._http import HttpClient
from frogml.adapters.artifactory.settings import ArtifactorySettings
from frogml.domain.errors import FrogMLError
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration.helpers import Target, files_under, filesystem, write_tree

_WAIT = 30.0  # seconds a condition may take before the test fails (never slept)


class Relay:
    """A TCP relay on 127.0.0.1 counting the connections it accepts and the requests
    each one carries (a request: a line starting with a method, at a read's start)."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self._upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.requests: list[int] = []  # per accepted connection, in order
        self._changed = threading.Condition()

    def __enter__(self) -> Relay:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._listener.close()

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
                self._changed.notify_all()
            threading.Thread(target=self._up, args=(client, server, index), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client), daemon=True).start()

    def _up(self, source: socket.socket, sink: socket.socket, index: int) -> None:
        try:
            while data := source.recv(65536):
                if data.startswith((b"GET ", b"HEAD ", b"PUT ", b"POST ", b"DELETE ")):
                    with self._changed:
                        self.requests[index] += 1
                        self._changed.notify_all()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _close(source, sink)

    @staticmethod
    def _down(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _close(source, sink)


def _close(*socks: socket.socket) -> None:
    for sock in socks:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _plain_http(target: Target) -> None:
    if not target.settings.credentials.url.startswith("http:"):
        pytest.skip("the relay counts plain HTTP requests")


def _upstream(target: Target) -> tuple[str, int]:
    hostport = target.settings.credentials.url.split("://", 1)[1].split("/", 1)[0]
    host, _, port = hostport.rpartition(":")
    return host, int(port)


def _via(target: Target, relay: Relay, **changes: object) -> ArtifactorySettings:
    rest = target.settings.credentials.url.split("://", 1)[1]
    path = rest.split("/", 1)[1] if "/" in rest else ""
    url = f"http://127.0.0.1:{relay.port}/{path}"
    credentials = dataclasses.replace(target.settings.credentials, url=url)
    settings = dataclasses.replace(target.settings, credentials=credentials)
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]


def _client(settings: ArtifactorySettings) -> HttpClient:
    return HttpClient(settings, sleep=lambda _: None, clock=time.monotonic)


def test_warmed_connections_are_the_ones_the_requests_use(
    emulator_target: Target,
) -> None:
    _plain_http(emulator_target)
    with Relay(_upstream(emulator_target)) as relay:
        http = _client(_via(emulator_target, relay, max_in_flight=3))
        ping = f"{http.urls.base}/api/system/ping"
        try:
            http.warm(ping, 8)  # more than the pool holds: only its 3
            relay.wait_accepted(3)
            assert relay.requests == [0, 0, 0]  # opened before any request
            held = [http.open("GET", ping, what="pinging", stream=True) for _ in range(3)]
            for response in held:  # three at once: each on its own warmed connection
                assert response.status == 200
                response.read()
                response.release_conn()
            http.warm(ping, 3)  # all three are open and idle: nothing more to open
            http.request("GET", ping, what="pinging")
        finally:
            http.close()
    assert sorted(relay.requests) == [1, 1, 2]  # no other connection was opened


def test_an_idle_connection_counts_so_one_request_opens_nothing_more(
    emulator_target: Target,
) -> None:
    _plain_http(emulator_target)
    with Relay(_upstream(emulator_target)) as relay:
        http = _client(_via(emulator_target, relay))
        ping = f"{http.urls.base}/api/system/ping"
        try:
            http.request("GET", ping, what="pinging")  # like the manifest's request
            http.warm(ping, 1)  # a one-file download: the idle connection is enough
            http.request("GET", ping, what="pinging")
        finally:
            http.close()
    assert relay.requests == [2]


def test_a_warm_up_that_cannot_connect_is_silent_and_the_request_reports(
    emulator_target: Target,
) -> None:
    _plain_http(emulator_target)
    relay = Relay(_upstream(emulator_target))
    settings = _via(emulator_target, relay)
    relay.__exit__(None, None, None)  # nothing listens there any more
    http = _client(settings)
    try:
        http.warm(f"{http.urls.base}/api/system/ping", 4)  # raises nothing
        with pytest.raises(FrogMLError):
            http.send("GET", f"{http.urls.base}/api/system/ping", what="pinging")
    finally:
        http.close()


@pytest.mark.parametrize(("files", "threads", "most_connections"), [(1, 4, 1), (12, 3, 3)])
def test_a_download_opens_no_more_connections_than_its_files_and_threads_need(
    emulator_target: Target, tmp_path: Path, files: int, threads: int, most_connections: int
) -> None:
    _plain_http(emulator_target)
    content = {f"f{n:03d}.bin": os.urandom(64 + n) for n in range(files)}
    source = write_tree(tmp_path / "src", content)
    Upload(store=emulator_target.store(), filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="warm", version="1", source_path=str(source)
        )
    )
    with Relay(_upstream(emulator_target)) as relay:
        settings = _via(emulator_target, relay, thread_count=threads, adaptive=False)
        store = ArtifactoryStore(settings, sleep=emulator_target.sleep)
        try:
            Download(store=store, filesystem=filesystem())(
                DownloadDatasetRequest(
                    repository="ml-local", name="warm", version="1", target_path=str(tmp_path / "o")
                )
            )
        finally:
            store.close()
    assert files_under(tmp_path / "o") == content
    # The manifest's connection and the warmed ones: one per file in flight, at most.
    assert 1 <= relay.accepted <= most_connections
    assert sum(relay.requests) == files + 1  # the manifest, then one GET per file


def test_nothing_is_warmed_through_a_proxy(emulator_target: Target) -> None:
    """urllib3 sets up a proxy's tunnel only on a connection it opens itself: a
    connection opened ahead would reach the proxy, not the server."""
    _plain_http(emulator_target)
    with Relay(_upstream(emulator_target)) as proxy:
        settings = dataclasses.replace(
            emulator_target.settings, proxy_url=f"http://127.0.0.1:{proxy.port}"
        )
        http = _client(settings)
        try:
            http.warm(f"{http.urls.base}/api/system/ping", 4)
            assert http._pool.pools.keys() == set()  # no pool, so no connection, made
        finally:
            http.close()
    assert proxy.accepted == 0
