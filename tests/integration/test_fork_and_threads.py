"""A host service's processes and threads: a worker forked after the storage was made
(gunicorn --preload) gets connections of its own, and a storage never closed leaves no
thread behind once it is collected or idle."""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import sys
import threading
import time
from pathlib import Path

import pytest

from frogml.adapters.artifactory import ArtifactoryStore, _watchdog
from frogml.adapters.artifactory._http import HttpClient
from frogml.adapters.artifactory.settings import StallPolicy
from frogml.domain.errors import TransientError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration.helpers import Target, filesystem, unique, write_tree

ROUNDS = 100


def _publish(store: ArtifactoryStore, tmp_path: Path, name: str) -> EntityRef:
    source = write_tree(tmp_path / name, {"f.txt": name.encode()})
    Upload(store=store, filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name=name, version=f"v-{name}", source_path=str(source)
        )
    )
    return EntityRef(repository="ml-local", kind=EntityKind.DATASET, name=name)


def _sockets(store: ArtifactoryStore) -> set[tuple[str, int]]:
    """The local addresses of the connections the store's pool keeps."""
    found = set()
    pools = store._http._pool.pools
    for key in pools.keys():  # noqa: SIM118 (the container refuses to be iterated)
        queue = pools[key].pool
        for connection in list(queue.queue if queue is not None else ()):
            sock = getattr(connection, "sock", None) if connection is not None else None
            if sock is not None:
                found.add(sock.getsockname()[:2])
    return found


def _wrong_answers(store: ArtifactoryStore, ref: EntityRef) -> int:
    """How many of ROUNDS listings of ``ref``'s versions answered about another entity."""
    wrong = 0
    for _ in range(ROUNDS):
        versions = [v.version for v in store.list_versions(ref)]
        wrong += versions != [f"v-{ref.name}"]
    return wrong


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_gets_connections_of_its_own(
    artifactory_target: Target, tmp_path: Path
) -> None:
    store = artifactory_target.store()
    mine = _publish(store, tmp_path, unique("parent"))
    theirs = _publish(store, tmp_path, unique("child"))
    store.list_versions(mine)  # a kept-alive connection in the pool, at the fork
    inherited = _sockets(store)
    assert inherited

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read)
            wrong = _wrong_answers(store, theirs)
            report = {"wrong": wrong, "shared": sorted(map(list, _sockets(store) & inherited))}
            os.write(write, json.dumps(report).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:
        wrong_here = _wrong_answers(store, mine)  # at the same time as the child
    finally:
        with os.fdopen(read, "rb") as pipe:
            report = json.loads(pipe.read() or b"{}")
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert report == {"wrong": 0, "shared": []}  # not one of the parent's sockets
    assert wrong_here == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_wait_for_its_parents_transaction_begun_ahead(
    emulator_target: Target,
) -> None:
    """A fork while the parent's transaction, begun ahead, is still starting: the
    child's begin starts its own (the parent's thread did not survive the fork, so
    waiting for it would never end)."""
    emulator_target.emu.faults.stall("POST", "start-transaction", seconds=0.5)
    store = emulator_target.store()
    ref = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name=unique("f"), version="1")
    store.begin_ahead(ref)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read)
            done = threading.Event()
            threading.Thread(target=lambda: done.wait(20) or os._exit(3), daemon=True).start()
            transaction = store.begin(ref)
            done.set()
            os.write(write, transaction.transaction_id.encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:
        mine = store.begin(ref)
    finally:
        with os.fdopen(read, "rb") as pipe:
            theirs = pipe.read().decode()
        _, status = os.waitpid(pid, 0)
        store.close()
    assert os.waitstatus_to_exitcode(status) == 0  # 3: the child waited 20 s in vain
    assert theirs  # the child's own transaction
    assert mine.ref == ref


def _watchdog_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "frogml-watchdog"]


@pytest.fixture
def quiet_threads() -> set[threading.Thread]:
    """The watchdog threads that ran before the test (other tests' open clients)."""
    gc.collect()
    return set(_watchdog_threads())


def test_an_unclosed_client_that_is_collected_leaves_no_thread(
    artifactory_target: Target, quiet_threads: set[threading.Thread]
) -> None:
    stores = [artifactory_target.store() for _ in range(5)]
    for store in stores:
        store.list_entities("ml-local", EntityKind.DATASET)  # its watchdog thread starts
    started = [t for t in _watchdog_threads() if t not in quiet_threads]
    assert len(started) == len(stores)

    del stores, store
    gc.collect()

    for thread in started:
        thread.join(timeout=30)  # woken by the collected client's finalizer: at once
    assert not [t for t in started if t.is_alive()]


def _idle_soon(client: HttpClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the client's idle watchdog thread end 50 ms from now, not 30 s."""
    monkeypatch.setattr(_watchdog, "_IDLE", 0.05)
    watchdog = client._watchdog
    with watchdog._lock:
        watchdog._lock.notify()  # it waits again, with the shorter idle time


def test_the_watchdog_thread_ends_when_it_has_nothing_to_watch_and_comes_back(
    artifactory_target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = HttpClient(artifactory_target.settings, sleep=lambda s: None, clock=lambda: 0.0)
    url = f"{client.urls.base}/api/system/ping"
    try:
        client.request("GET", url, what="pinging")
        thread = client._watchdog._thread  # idle for 30 s before it may end
        assert thread is not None
        _idle_soon(client, monkeypatch)
        thread.join(timeout=30)
        assert not thread.is_alive()  # idle: ended by itself

        client.request("GET", url, what="pinging")  # armed again: a new thread watches
        assert client._watchdog._thread is not None
        assert client._watchdog._thread is not thread
    finally:
        client.close()


def test_a_stall_is_still_cut_after_the_watchdog_thread_ended(
    artifactory_target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    if artifactory_target.emulator is None:
        pytest.skip("needs the emulator's faults")
    settings = dataclasses.replace(
        artifactory_target.settings,
        stall=StallPolicy(min_bytes=4096, seconds=0.3),
        read_timeout=0.5,
    )
    client = HttpClient(settings, sleep=lambda s: None, clock=time.monotonic)
    url = f"{client.urls.base}/api/system/ping"
    try:
        client.request("GET", url, what="pinging")
        first = client._watchdog._thread
        assert first is not None
        _idle_soon(client, monkeypatch)
        first.join(timeout=30)
        assert not first.is_alive()
        # The answer begins at once, then its headers never end: only the watchdog ends it.
        artifactory_target.emu.faults.trickle_headers("GET", r"/api/system/ping$", seconds=0.02)
        with pytest.raises(TransientError, match="stalled in its headers"):
            client.send("GET", url, what="pinging")
    finally:
        client.close()


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX processes and threads")
