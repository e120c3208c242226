"""Warming the pool: the connections a download opens before its first file request are
the ones its requests use, never more than the cap or than the files need, and a
warm-up that fails says nothing (the real request reports)."""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import frogml.adapters.artifactory._http as http_module
from frogml.adapters.artifactory import ArtifactoryStore
from frogml.adapters.artifactory._http import HttpClient
from frogml.adapters.artifactory.settings import ArtifactorySettings
from frogml.domain.errors import AlreadyExistsError, FrogMLError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration._relay import CountingRelay, upstream_of
from tests.integration.helpers import Target, files_under, filesystem, write_tree


def _plain_http(target: Target) -> None:
    if not target.settings.credentials.url.startswith("http:"):
        pytest.skip("the relay counts plain HTTP requests")


def _via(target: Target, relay: CountingRelay, **changes: object) -> ArtifactorySettings:
    url = relay.url_for(target.settings.credentials.url)
    credentials = dataclasses.replace(target.settings.credentials, url=url)
    settings = dataclasses.replace(target.settings, credentials=credentials)
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]


def _client(settings: ArtifactorySettings) -> HttpClient:
    return HttpClient(settings, sleep=lambda _: None, clock=time.monotonic)


def test_warmed_connections_are_the_ones_the_requests_use(
    emulator_target: Target,
) -> None:
    _plain_http(emulator_target)
    with CountingRelay(upstream_of(emulator_target.settings.credentials.url)) as relay:
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
    with CountingRelay(upstream_of(emulator_target.settings.credentials.url)) as relay:
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
    relay = CountingRelay(upstream_of(emulator_target.settings.credentials.url))
    settings = _via(emulator_target, relay)
    relay.__exit__(None, None, None)  # nothing listens there any more
    http = _client(settings)
    try:
        http.warm(f"{http.urls.base}/api/system/ping", 4)  # raises nothing
        with pytest.raises(FrogMLError):
            http.send("GET", f"{http.urls.base}/api/system/ping", what="pinging")
    finally:
        http.close()


@pytest.mark.parametrize(("files", "threads", "most_connections"), [(1, 4, 4), (12, 3, 3)])
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
    with CountingRelay(upstream_of(emulator_target.settings.credentials.url)) as relay:
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
    # The manifest's connection and the warmed ones: one per file in flight, at most,
    # or, before the manifest says how many files come, as many as a big file's streams
    # (within the threads) from a client that does not know the server near yet.
    assert 1 <= relay.accepted <= most_connections
    assert sum(relay.requests) == files + 1  # the manifest, then one GET per file


def test_a_client_that_knows_the_server_near_opens_nothing_ahead_of_a_manifest(
    emulator_target: Target, tmp_path: Path
) -> None:
    _plain_http(emulator_target)
    source = write_tree(tmp_path / "src", {"one.bin": b"1" * 100})
    Upload(store=emulator_target.store(), filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="near", version="1", source_path=str(source)
        )
    )
    with CountingRelay(upstream_of(emulator_target.settings.credentials.url)) as relay:
        settings = _via(emulator_target, relay, thread_count=4, adaptive=False)
        store = ArtifactoryStore(settings, sleep=emulator_target.sleep)
        try:
            store._http.request("GET", f"{store._http.urls.base}/api/system/ping", what="ping")
            Download(store=store, filesystem=filesystem())(
                DownloadDatasetRequest(
                    repository="ml-local", name="near", version="1", target_path=str(tmp_path / "o")
                )
            )
        finally:
            store.close()
    assert relay.accepted == 1  # the ping's, for the manifest and the file too
    assert relay.requests == [3]


def test_nothing_is_warmed_through_a_proxy(emulator_target: Target) -> None:
    """urllib3 sets up a proxy's tunnel only on a connection it opens itself: a
    connection opened ahead would reach the proxy, not the server."""
    _plain_http(emulator_target)
    with CountingRelay(upstream_of(emulator_target.settings.credentials.url)) as proxy:
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


def test_an_upload_forecast_opens_the_connections_its_first_files_will_use(
    emulator_target: Target,
) -> None:
    _plain_http(emulator_target)
    with CountingRelay(upstream_of(emulator_target.settings.credentials.url)) as relay:
        settings = _via(emulator_target, relay, thread_count=3, adaptive=False)
        store = ArtifactoryStore(settings, sleep=emulator_target.sleep)
        try:
            store.expect_upload([5])  # one small file: it reuses the transaction's
            assert relay.accepted == 0
            store.expect_upload(iter([5, 6, 7, 8]))  # four files, three threads
            relay.wait_accepted(3)
            assert relay.requests == [0, 0, 0]  # opened before any request
        finally:
            store.close()


def test_connections_still_being_opened_count_for_the_next_warm_up(
    emulator_target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A download's forecast warms its connections, then the download warms them again:
    across a real link the first are still opening (a handshake takes round trips), and
    must not be opened twice."""
    _plain_http(emulator_target)
    gate = threading.Event()
    real = http_module._open_connection

    def slow_handshake(pool: Any, conn: Any) -> None:
        assert gate.wait(30)
        real(pool, conn)

    monkeypatch.setattr(http_module, "_open_connection", slow_handshake)
    with CountingRelay(upstream_of(emulator_target.settings.credentials.url)) as relay:
        http = _client(_via(emulator_target, relay, max_in_flight=8))
        ping = f"{http.urls.base}/api/system/ping"
        try:
            pool = http._pool.connection_from_url(ping)
            http.warm(ping, 3)
            assert pool.num_connections == 3
            http.warm(ping, 3)  # the three still opening count
            assert pool.num_connections == 3
            http.warm(ping, 5)  # two more
            assert pool.num_connections == 5
            gate.set()
            relay.wait_accepted(5)
            http.warm(ping, 5)  # open, or being given back: none more
            assert pool.num_connections == 5
            http.request("GET", ping, what="pinging")
        finally:
            gate.set()
            http.close()
    assert relay.accepted == 5


def _made(store: ArtifactoryStore) -> int:
    """Connections the store's pool has made: counted as a warm-up takes them, before
    its threads connect (the relay counts them only once they have)."""
    return int(store._http._pool.connection_from_url(store._http.urls.base).num_connections)


def test_a_download_forecast_opens_the_connections_its_first_requests_will_use(
    emulator_target: Target,
) -> None:
    _plain_http(emulator_target)
    big = 64 << 20
    with CountingRelay(upstream_of(emulator_target.settings.credentials.url)) as relay:
        settings = _via(emulator_target, relay, thread_count=3, adaptive=False)
        store = ArtifactoryStore(settings, sleep=emulator_target.sleep)
        try:
            store.expect_download([])
            assert _made(store) == 0
            store.expect_download(iter([5, 6, 7, 8]))  # four files, three threads
            assert _made(store) == 3
            relay.wait_accepted(3)
            assert relay.requests == [0, 0, 0]  # opened before any request
            store.expect_download([big])  # on a LAN one stream starts, measured: open
            assert _made(store) == 3
        finally:
            store.close()
    assert relay.accepted == 3


def test_a_download_forecast_across_a_distance_opens_a_big_files_streams(
    emulator_target: Target,
) -> None:
    _plain_http(emulator_target)
    relay = CountingRelay(upstream_of(emulator_target.settings.credentials.url), delay=0.015)
    with relay:
        settings = _via(emulator_target, relay, thread_count=3, adaptive=False)
        store = ArtifactoryStore(settings, sleep=emulator_target.sleep)
        try:
            store._http.request("GET", f"{store._http.urls.base}/api/system/ping", what="ping")
            store.expect_download([5])  # one small file: the ping's connection serves
            assert _made(store) == 1
            store.expect_download([64 << 20])  # its streams start at once: three threads
            assert _made(store) == 3
            relay.wait_accepted(3)
            assert relay.requests == [1, 0, 0]
        finally:
            store.close()


def test_a_first_download_across_a_distance_opens_its_connections_while_the_manifest_comes(
    emulator_target: Target, tmp_path: Path
) -> None:
    """A client that knows nothing of the server yet: its manifest request has not
    answered within 10 ms (the relay holds each request 15 ms), so the connections a big
    file's streams would use (min(threads, 8) - 1) open while it waits."""
    _plain_http(emulator_target)
    source = write_tree(tmp_path / "src", {"one.bin": b"1" * 100})
    Upload(store=emulator_target.store(), filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="far", version="1", source_path=str(source)
        )
    )
    relay = CountingRelay(upstream_of(emulator_target.settings.credentials.url), delay=0.015)
    with relay:
        settings = _via(emulator_target, relay, thread_count=4, adaptive=False)
        store = ArtifactoryStore(settings, sleep=emulator_target.sleep)
        try:
            Download(store=store, filesystem=filesystem())(
                DownloadDatasetRequest(
                    repository="ml-local", name="far", version="1", target_path=str(tmp_path / "o")
                )
            )
            relay.wait_accepted(4)  # the manifest's, and 3 opened ahead (however late)
        finally:
            store.close()
    assert relay.accepted == 4
    assert sum(relay.requests) == 2  # the manifest and the file


def test_warm_if_far_opens_at_once_for_a_far_server_and_never_for_a_near_one(
    emulator_target: Target,
) -> None:
    _plain_http(emulator_target)
    with CountingRelay(upstream_of(emulator_target.settings.credentials.url)) as relay:
        store = ArtifactoryStore(_via(emulator_target, relay), sleep=emulator_target.sleep)
        http = store._http
        try:
            http.request("GET", f"{http.urls.base}/api/system/ping", what="ping")
            http.warm_if_far(http.urls.base, 3, far=60.0)  # the ping took less: near
            assert _made(store) == 1
            http.warm_if_far(http.urls.base, 3, far=0.0)  # the ping took more: far
            assert _made(store) == 3
            relay.wait_accepted(3)
        finally:
            store.close()


def _ref(version: str) -> EntityRef:
    return EntityRef(repository="ml-local", kind=EntityKind.DATASET, name="ahead", version=version)


def test_a_transaction_started_ahead_is_the_one_begin_takes(emulator_target: Target) -> None:
    """begin_ahead starts the transaction in the background; begin takes it (one start
    sent)."""
    emu = emulator_target.emu
    store = emulator_target.store()
    try:
        emu.counters.reset()
        store.begin_ahead(_ref("1"))
        transaction = store.begin(_ref("1"))
        assert emu.counters.snapshot().count("start_transaction") == 1
        assert transaction.ref.version == "1"
        # Another version than forecast: begun anew, the one started ahead dropped.
        store.begin_ahead(_ref("2"))
        other = store.begin(_ref("3"))
        assert other.ref.version == "3"
        assert other.transaction_id != transaction.transaction_id
    finally:
        store.close()


def test_a_transaction_that_could_not_start_ahead_raises_from_begin(
    emulator_target: Target, tmp_path: Path
) -> None:
    source = write_tree(tmp_path / "src", {"a.bin": b"a"})
    Upload(store=emulator_target.store(), filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="ahead", version="1", source_path=str(source)
        )
    )
    store = emulator_target.store()
    try:
        store.begin_ahead(_ref("1"))  # published already: refused
        with pytest.raises(AlreadyExistsError):
            store.begin(_ref("1"))
    finally:
        store.close()


def test_another_thread_does_not_take_a_transaction_started_ahead(
    emulator_target: Target,
) -> None:
    emu = emulator_target.emu
    store = emulator_target.store()
    try:
        emu.counters.reset()
        store.begin_ahead(_ref("7"))
        with ThreadPoolExecutor(1) as pool:  # a storage shared by threads: theirs apart
            other = pool.submit(store.begin, _ref("8")).result()
        mine = store.begin(_ref("7"))
        assert (other.ref.version, mine.ref.version) == ("8", "7")
        assert emu.counters.snapshot().count("start_transaction") == 2
    finally:
        store.close()
