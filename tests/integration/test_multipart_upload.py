"""Multipart upload of big files (protocol page 4b), against the emulator.

The files here are a few MiB: the store's MultipartPolicy sends files from 2 MiB as
parts of 1 MiB, 3 at a time (JFrog CLI's defaults, 200 MiB / 20 MiB / 5, are too big
for tests).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore
from frogml.adapters.artifactory._http import Answer, HttpClient
from frogml.adapters.artifactory._multipart import Multipart
from frogml.adapters.artifactory.settings import MultipartPolicy
from frogml.domain.errors import (
    AuthenticationError,
    ConfigurationError,
    FrogMLError,
    NotFoundError,
    TransientError,
)
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.settings import TransferSettings
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration.helpers import (
    RecordingEvents,
    Target,
    files_under,
    filesystem,
    write_tree,
)

_MIB = 1 << 20
BIG = os.urandom(3 * _MIB + 12345)  # 4 parts of 1 MiB, the last one short
FILES = {"weights/big.bin": BIG, "small.txt": b"small"}
# On loopback: a near server, where parts are used only when min_round_trip allows it.
POLICY = MultipartPolicy(threshold=2 * _MIB, part_size=_MIB, parts=3, min_round_trip=0.0)
PARTS = 4


def _store(target: Target, policy: MultipartPolicy = POLICY) -> ArtifactoryStore:
    settings = dataclasses.replace(target.settings, multipart=policy)
    return ArtifactoryStore(settings, sleep=target.sleep)


def _upload(
    store: ArtifactoryStore,
    tmp_path: Path,
    files: dict[str, bytes] = FILES,
    name: str = "data",
    events: RecordingEvents | None = None,
) -> None:
    source = write_tree(tmp_path / f"src-{name}", files)
    Upload(store=store, filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name=name, version="1", source_path=str(source)
        ),
        **({} if events is None else {"events": events}),
    )


def _download(store: ArtifactoryStore, tmp_path: Path, name: str = "data") -> dict[str, bytes]:
    out = tmp_path / f"out-{name}"
    Download(store=store, filesystem=filesystem())(
        DownloadDatasetRequest(repository="ml-local", name=name, version="1", target_path=str(out))
    )
    return files_under(out)


def _published(store: ArtifactoryStore, name: str = "data") -> bool:
    ref = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name=name)
    try:
        store.list_versions(ref)
    except NotFoundError:
        return False
    return True


def _leftovers(target: Target) -> list[str]:
    """Files anywhere below the dataset (its upload area included)."""
    return [p for p in target.emu.paths("ml-local") if p.startswith("datasets/data/")]


def test_a_big_file_goes_as_parts_and_arrives_byte_identical(
    emulator_target: Target, tmp_path: Path
) -> None:
    store = _store(emulator_target)
    _upload(store, tmp_path)
    counts = emulator_target.emu.counters.snapshot()
    assert counts.count("multipart_config", 200) == 1
    assert counts.count("multipart_create", 200) == 1
    assert counts.count("multipart_part", 200) == PARTS
    # One URL per part, asked for ahead (part 4, while part 1 was sent) or not.
    assert counts.count("multipart_url_part", 200) == PARTS
    assert counts.count("multipart_complete", 202) == 1
    assert counts.count("multipart_deploy", 201) == 1
    assert counts.count("deploy", 201) == 1  # small.txt alone, as one PUT
    assert (
        emulator_target.emu.read_bytes("ml-local", "datasets/data/1/dataset/weights/big.bin") == BIG
    )
    assert _download(store, tmp_path) == FILES
    assert emulator_target.emu.uploads.pending() == 0
    assert emulator_target.emu.uploads.parts_on_disk() == 0


def test_progress_counts_every_byte_once(emulator_target: Target, tmp_path: Path) -> None:
    events = RecordingEvents()
    _upload(_store(emulator_target), tmp_path, events=events)
    assert events.advanced_bytes == len(BIG) + len(b"small")
    assert events.done == {"weights/big.bin": True, "small.txt": True}


def test_below_the_threshold_a_file_goes_as_one_put(
    emulator_target: Target, tmp_path: Path
) -> None:
    _upload(_store(emulator_target), tmp_path, {"one.bin": BIG[: 2 * _MIB - 1]})
    counts = emulator_target.emu.counters.snapshot()
    assert counts.count("multipart_config") == 0  # not even probed
    assert counts.count("deploy", 201) == 1


def test_a_server_nearer_than_min_round_trip_gets_one_put_per_file(
    emulator_target: Target, tmp_path: Path
) -> None:
    """It takes parts, but its probe was quicker than min_round_trip (by default 10 ms;
    here an hour, so that a loaded machine cannot make loopback look far)."""
    assert MultipartPolicy().min_round_trip == 0.01
    near = dataclasses.replace(POLICY, min_round_trip=3600.0)
    store = _store(emulator_target, near)
    _upload(store, tmp_path, {"a.bin": BIG, "b.bin": BIG[::-1]})
    counts = emulator_target.emu.counters.snapshot()
    assert counts.count("multipart_config", 200) == 1  # probed once: it takes parts
    assert counts.count("multipart_create") == 0
    assert counts.count("deploy", 201) == 2
    assert _download(store, tmp_path) == {"a.bin": BIG, "b.bin": BIG[::-1]}


def test_a_server_without_it_gets_one_put_per_file_after_one_probe(
    emulator_target: Target, tmp_path: Path
) -> None:
    emulator_target.emu.uploads.enabled = False
    store = _store(emulator_target)
    _upload(store, tmp_path, {"a.bin": BIG, "b.bin": BIG[::-1]})
    _upload(store, tmp_path, {"c.bin": BIG[1:]}, name="other")
    counts = emulator_target.emu.counters.snapshot()
    assert counts.count("other", 404) == 1  # the one probe, remembered
    assert counts.count("deploy", 201) == 3
    assert counts.count("multipart_create") == 0
    assert _download(store, tmp_path) == {"a.bin": BIG, "b.bin": BIG[::-1]}


@pytest.mark.parametrize("status", [403, 405, 500])
def test_a_refused_probe_means_one_put(
    emulator_target: Target, tmp_path: Path, status: int
) -> None:
    emulator_target.emu.faults.fail("GET", r"/api/v1/uploads/config", status=status)
    _upload(_store(emulator_target), tmp_path)
    counts = emulator_target.emu.counters.snapshot()
    assert counts.count("multipart_create") == 0
    assert counts.count("deploy", 201) == 2
    assert emulator_target.delays == []  # the probe is never retried


def test_a_repository_refusing_to_create_one_gets_one_put_per_file(
    emulator_target: Target, tmp_path: Path
) -> None:
    emu = emulator_target.emu
    emu.faults.fail("POST", r"/api/v1/uploads/create\?", status=400, times=None)
    store = _store(emulator_target)
    _upload(store, tmp_path, {"a.bin": BIG, "b.bin": BIG[::-1]})
    asked = emu.counters.snapshot().count("multipart_create")
    assert 1 <= asked <= 2  # the two files may both ask before the first answer
    _upload(store, tmp_path, {"c.bin": BIG[1:]}, name="other")
    counts = emu.counters.snapshot()
    assert counts.count("multipart_create") == asked  # refused, remembered
    assert counts.count("deploy", 201) == 3
    assert _download(store, tmp_path) == {"a.bin": BIG, "b.bin": BIG[::-1]}


def test_a_part_that_fails_is_sent_again(emulator_target: Target, tmp_path: Path) -> None:
    emulator_target.emu.faults.fail("PUT", r"^/objectstore/", status=503, times=2)
    store = _store(emulator_target)
    _upload(store, tmp_path)
    counts = emulator_target.emu.counters.snapshot()
    assert counts.count("multipart_part", 503) == 2
    assert counts.count("multipart_part", 200) == PARTS
    # A part sent again goes to a new URL (the one asked for ahead may have expired).
    assert counts.count("multipart_url_part", 200) == PARTS + 2
    assert len(emulator_target.delays) == 2
    assert _download(store, tmp_path) == FILES


def test_a_connection_reset_while_a_part_is_sent_is_retried(
    emulator_target: Target, tmp_path: Path
) -> None:
    emulator_target.emu.faults.reset_request("PUT", r"^/objectstore/", after_bytes=300_000)
    store = _store(emulator_target)
    _upload(store, tmp_path)
    assert _download(store, tmp_path) == FILES


def test_a_part_altered_on_the_way_is_sent_again(emulator_target: Target, tmp_path: Path) -> None:
    emulator_target.emu.uploads.corrupt_parts(1)
    store = _store(emulator_target)
    _upload(store, tmp_path)
    assert emulator_target.emu.counters.snapshot().count("multipart_part", 200) == PARTS + 1
    assert _download(store, tmp_path) == FILES


def test_a_merge_failing_retryably_is_completed_again(
    emulator_target: Target, tmp_path: Path
) -> None:
    emulator_target.emu.uploads.merge_errors(1)
    store = _store(emulator_target)
    _upload(store, tmp_path)
    assert emulator_target.emu.counters.snapshot().count("multipart_complete", 202) == 2
    assert _download(store, tmp_path) == FILES


def test_a_part_failing_for_good_aborts_and_publishes_nothing(
    emulator_target: Target, tmp_path: Path
) -> None:
    emu = emulator_target.emu
    emu.faults.fail("PUT", r"^/objectstore/.*/3\?", status=500, times=None)
    store = _store(emulator_target)
    with pytest.raises(TransientError) as caught:
        _upload(store, tmp_path)
    message = str(caught.value)
    assert "big.bin (part 3 of 4)" in message
    assert "\n" not in message
    assert "Signature" not in message  # the pre-signed URL is a credential
    counts = emu.counters.snapshot()
    assert counts.count("multipart_abort", 204) == 1
    assert counts.count("multipart_complete") == 0
    assert counts.count("multipart_deploy") == 0
    assert emu.uploads.pending() == 0
    assert emu.uploads.parts_on_disk() == 0
    assert not _published(store)
    assert not any(p.endswith("big.bin") for p in _leftovers(emulator_target))
    # The rerun, without the fault, starts a new multipart upload and succeeds.
    emu.faults.clear()
    _upload(store, tmp_path)
    assert _download(store, tmp_path) == FILES


def test_an_expired_upload_token_is_a_clear_error(emulator_target: Target, tmp_path: Path) -> None:
    emu = emulator_target.emu
    emu.uploads.token_ttl = -1.0  # every token has expired as soon as it is issued
    store = _store(emulator_target)
    with pytest.raises(AuthenticationError, match=r"big\.bin \(part \d of 4\).*expired"):
        _upload(store, tmp_path)
    assert emu.counters.snapshot().count("multipart_abort", 401) == 1
    assert not _published(store)
    assert emu.uploads.parts_on_disk() == 0


def test_a_merge_that_fails_for_good_publishes_nothing(
    emulator_target: Target, tmp_path: Path
) -> None:
    emu = emulator_target.emu
    emu.faults.fail("POST", r"/api/v1/uploads/complete", status=400, times=None)
    store = _store(emulator_target)
    with pytest.raises(FrogMLError, match=r"big\.bin"):
        _upload(store, tmp_path)
    assert emu.counters.snapshot().count("multipart_abort", 204) == 1
    assert not _published(store)
    assert emu.uploads.pending() == 0


def test_the_same_bytes_again_are_linked_without_a_multipart_upload(
    emulator_target: Target, tmp_path: Path
) -> None:
    store = _store(emulator_target)
    _upload(store, tmp_path)
    _upload(store, tmp_path, name="again")
    counts = emulator_target.emu.counters.snapshot()
    assert counts.count("multipart_create") == 1
    assert counts.count("checksum_deploy", 201) == 1
    assert _download(store, tmp_path, name="again") == FILES


def test_transfer_settings_choose_the_policy() -> None:
    credentials = Credentials(url="https://acme.jfrog.io/artifactory", source="tests")
    chosen = TransferSettings(
        multipart_threshold=5 * _MIB, multipart_part_size=2 * _MIB, multipart_parts=2
    )
    policy = ArtifactorySettings.from_environment(credentials, {}, chosen).multipart
    assert policy == MultipartPolicy(threshold=5 * _MIB, part_size=2 * _MIB, parts=2)
    assert ArtifactorySettings.from_environment(credentials, {}).multipart == MultipartPolicy(
        threshold=200 * _MIB, part_size=20 * _MIB, parts=6
    )
    with pytest.raises(ConfigurationError, match="whole number of MiB"):
        MultipartPolicy(part_size=_MIB + 1)
    with pytest.raises(ConfigurationError, match="multipart_parts"):
        TransferSettings(multipart_parts=0)


@pytest.mark.parametrize(
    ("mib", "part_mib", "parts"),
    [(3, 1, 4), (200, 14, 15), (256, 18, 15), (1000, 19, 53), (4096, 20, 205)],
)
def test_parts_are_evened_out_over_the_parallel_rounds(mib: int, part_mib: int, parts: int) -> None:
    from frogml.adapters.artifactory._multipart import part_size_for

    size = mib * _MIB + 5
    part_size = part_size_for(size, 20 * _MIB, 5)
    assert part_size == part_mib * _MIB
    assert -(-size // part_size) == parts
    assert part_size_for(300_000 * _MIB, 20 * _MIB, 5) == 30 * _MIB  # at most 10,000 parts


class _ProbeWatch(HttpClient):
    """Notes the thread each probe of the server is made on."""

    def __init__(self, settings: ArtifactorySettings) -> None:
        super().__init__(settings, sleep=lambda _: None, clock=time.monotonic)
        self.probed_on: list[str] = []
        self.probed = threading.Event()

    def exchange(self, method: str, url: str, **kwargs: Any) -> Answer:
        if url.endswith("/api/v1/uploads/config"):
            self.probed_on.append(threading.current_thread().name)
            self.probed.set()
        return super().exchange(method, url, **kwargs)


def test_the_probe_goes_ahead_once_and_only_for_a_big_file(emulator_target: Target) -> None:
    """An upload holding a file big enough for parts probes the server on its own thread
    as it starts, so that the probe overlaps the checksum deploy that comes first."""
    settings = dataclasses.replace(emulator_target.settings, multipart=POLICY)
    http = _ProbeWatch(settings)
    multipart = Multipart(http, settings)
    try:
        multipart.probe_ahead([5, 2 * _MIB - 1])  # nothing big enough: nothing asked
        assert http.probed_on == []
        multipart.probe_ahead(iter([5, 2 * _MIB]))
        assert http.probed.wait(30)  # asked without anyone waiting for the answer
        multipart.probe_ahead([2 * _MIB])  # under way or answered: not asked again
        assert multipart.applies(2 * _MIB)  # the probe's answer
    finally:
        multipart.close()
        http.close()
    assert http.probed_on == ["frogml-multipart-probe"]
    assert emulator_target.emu.counters.snapshot().count("multipart_config", 200) == 1


class _Timeline:
    """A clock that says what each probe took: it reads start, end, start, end..."""

    def __init__(self, *took: float) -> None:
        self._readings = [t for span in took for t in (0.0, span)]

    def __call__(self) -> float:
        return self._readings.pop(0)


@pytest.mark.parametrize(
    ("took", "probes", "parts"),
    [
        ((0.015, 0.002), 2, False),  # "far": timed again, and near after all
        ((0.150, 0.002), 2, False),  # far only while it opened its connection
        ((0.015, 0.020), 2, True),  # far twice
        ((0.004,), 1, False),  # near: once is enough
    ],
)
def test_a_probe_that_says_far_is_timed_again(
    emulator_target: Target, took: tuple[float, ...], probes: int, parts: bool
) -> None:
    policy = dataclasses.replace(POLICY, min_round_trip=0.01)
    settings = dataclasses.replace(emulator_target.settings, multipart=policy)
    http = HttpClient(settings, sleep=lambda _: None, clock=time.monotonic)
    multipart = Multipart(http, settings, clock=_Timeline(*took))
    try:
        assert multipart.applies(2 * _MIB) is parts
        assert multipart.applies(2 * _MIB) is parts  # remembered
    finally:
        multipart.close()
        http.close()
    assert emulator_target.emu.counters.snapshot().count("multipart_config", 200) == probes


def test_closing_does_not_wait_for_a_probe_that_waits_for_its_answer(
    emulator_target: Target,
) -> None:
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    accepted: list[socket.socket] = []
    came = threading.Event()

    def accept() -> None:
        with contextlib.suppress(OSError):
            accepted.append(silent.accept()[0])
            came.set()

    threading.Thread(target=accept, daemon=True).start()
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/artifactory"
    credentials = dataclasses.replace(emulator_target.settings.credentials, url=url)
    settings = dataclasses.replace(
        emulator_target.settings, credentials=credentials, multipart=POLICY, read_timeout=120.0
    )
    http = HttpClient(settings, sleep=lambda _: None, clock=time.monotonic)
    multipart = Multipart(http, settings)
    closer = threading.Thread(target=multipart.close, daemon=True)
    try:
        multipart.probe_ahead([2 * _MIB])
        assert came.wait(30)  # the probe's request is under way, its answer never comes
        closer.start()
        closer.join(60)  # half the probe's read timeout: a close that waited would fail
        assert not closer.is_alive()
        assert multipart.applies(2 * _MIB) is False  # closed: no parts, no new probe
    finally:
        for conn in accepted:
            conn.close()
        silent.close()
        http.close()
