"""Large files arrive as concurrent byte ranges, and the whole file is still verified."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import os
import threading
import time
from pathlib import Path

import pytest

from frogml.adapters.artifactory import ArtifactoryStore, RangePolicy
from frogml.adapters.artifactory._http import HttpClient
from frogml.adapters.artifactory._ranges import blocks, receive_ranges, spans
from frogml.adapters.artifactory._transfer import Progress
from frogml.domain.errors import IntegrityError
from frogml.domain.ports.filesystem import RangedFileSink
from frogml.domain.ports.progress import NULL_EVENTS
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration._relay import CountingRelay, upstream_of
from tests.integration.helpers import Target, files_under, filesystem, write_tree

BIG = os.urandom(1024 * 1024 + 123)
PARTS = 4
RANGES = RangePolicy(threshold=64 * 1024, parts=PARTS)


def _store(target: Target) -> ArtifactoryStore:
    settings = dataclasses.replace(target.settings, ranges=RANGES)
    return ArtifactoryStore(settings, sleep=target.sleep)


def _upload(target: Target, tmp_path: Path) -> None:
    source = write_tree(tmp_path / "src", {"big.bin": BIG, "small.txt": b"small"})
    Upload(store=_store(target), filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="data", version="1", source_path=str(source)
        )
    )


def _download(target: Target, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    Download(store=_store(target), filesystem=filesystem())(
        DownloadDatasetRequest(
            repository="ml-local", name="data", version="1", target_path=str(out)
        )
    )
    return out


def test_a_large_file_arrives_in_ranges_byte_identical(
    emulator_target: Target, tmp_path: Path
) -> None:
    _upload(emulator_target, tmp_path)
    emu = emulator_target.emu
    emu.counters.reset()
    assert files_under(_download(emulator_target, tmp_path)) == {
        "big.bin": BIG,
        "small.txt": b"small",
    }
    counts = emu.counters.snapshot()
    assert counts.count("download", 206) == PARTS  # the big file, in ranges
    assert counts.count("download", 200) == 1  # the small one, whole
    assert counts.count("head") == 0


def test_a_flipped_byte_in_one_range_is_caught_and_downloaded_again(
    emulator_target: Target, tmp_path: Path
) -> None:
    _upload(emulator_target, tmp_path)
    emu = emulator_target.emu
    emu.counters.reset()
    emu.faults.corrupt("GET", r"/big\.bin$", offset=70_000, times=1)
    assert files_under(_download(emulator_target, tmp_path))["big.bin"] == BIG
    assert emu.counters.snapshot().count("download", 206) == 2 * PARTS


@pytest.mark.parametrize(
    "value", [None, "bytes \xb2-9/10", "items 0-9/10"], ids=["dropped", "unreadable", "unit"]
)
def test_ranges_that_do_not_say_where_they_belong_fall_back_to_one_plain_download(
    emulator_target: Target, tmp_path: Path, value: str | None
) -> None:
    """A proxy that drops or mangles Content-Range on 206 answers: the parts cannot be
    placed, so none is written, and the file comes whole, once (before: each range was
    retried until the download failed)."""
    _upload(emulator_target, tmp_path)
    emu = emulator_target.emu
    emu.counters.reset()
    emu.faults.rewrite_header("GET", r"/big\.bin$", header="Content-Range", value=value, times=None)
    assert files_under(_download(emulator_target, tmp_path)) == {
        "big.bin": BIG,
        "small.txt": b"small",
    }
    counts = emu.counters.snapshot()
    assert counts.count("download", 200) == 2  # the big file whole after all, the small
    assert 1 <= counts.count("download", 206) <= PARTS  # each range asked once at most


def test_ranges_that_never_match_leave_nothing_under_the_final_name(
    emulator_target: Target, tmp_path: Path
) -> None:
    _upload(emulator_target, tmp_path)
    emulator_target.emu.faults.corrupt("GET", r"/big\.bin$", offset=5, times=None)
    with pytest.raises(IntegrityError):
        _download(emulator_target, tmp_path)
    assert "big.bin" not in files_under(tmp_path / "out")


def test_a_cut_range_resumes_where_it_stopped(emulator_target: Target, tmp_path: Path) -> None:
    _upload(emulator_target, tmp_path)
    emu = emulator_target.emu
    emu.counters.reset()
    emu.faults.truncate("GET", r"/big\.bin$", after_bytes=10_000, times=1)
    assert files_under(_download(emulator_target, tmp_path))["big.bin"] == BIG
    counts = emu.counters.snapshot()
    assert counts.count("download", 206) == PARTS + 1
    assert counts.bytes_sent < len(BIG) + 64 * 1024  # only the cut range's rest again


@pytest.mark.parametrize(
    ("start", "size", "parts"), [(0, 10, 4), (3, 10, 4), (0, 3, 8), (0, 1 << 30, 4), (5, 6, 2)]
)
def test_spans_cover_the_rest_of_the_file_without_overlap(
    start: int, size: int, parts: int
) -> None:
    pieces = spans(start, size, parts)
    assert pieces[0][0] == start
    assert pieces[-1][1] == size
    assert all(a < b for a, b in pieces)
    assert all(left[1] == right[0] for left, right in itertools.pairwise(pieces))
    assert len(pieces) <= parts


def _receive_big(http: HttpClient, out: Path, policy: RangePolicy) -> int:
    """The uploaded big file received into ``out`` by ranges, committed; the streams used."""
    sink = filesystem().open_sink(
        str(out), "big.bin", size=len(BIG), sha256=hashlib.sha256(BIG).hexdigest()
    )
    assert isinstance(sink, RangedFileSink)
    try:
        used = receive_ranges(
            http,
            f"{http.urls.base}/ml-local/datasets/data/1/dataset/big.bin",
            sink,
            len(BIG),
            Progress(NULL_EVENTS),
            threading.Event(),
            policy=policy,
            most=8,
            what="downloading big.bin",
        )
        sink.commit()
    finally:
        sink.close()
    return used


_FAR_POLICY = RangePolicy(threshold=64 * 1024, probe=64 * 1024, min_part=64 * 1024, max_parts=4)


@pytest.mark.parametrize(("target_rate", "streams"), [(1e15, 4), (1.0, 1)])
def test_across_a_distance_the_streams_start_at_once_then_a_measure_keeps_what_is_needed(
    emulator_target: Target, tmp_path: Path, target_rate: float, streams: int
) -> None:
    """A server 15 ms away (every request held that long by a relay): the file's ranges
    are asked for at once, in blocks, with no measure of one stream first; all its bytes
    arrive, verified. Where one connection reaches the target rate, the streams beyond
    it end after their block (the measure), and the blocks left go to the one kept."""
    if not emulator_target.settings.credentials.url.startswith("http:"):
        pytest.skip("the relay passes plain HTTP")
    _upload(emulator_target, tmp_path)
    policy = dataclasses.replace(_FAR_POLICY, target_rate=target_rate)
    with CountingRelay(upstream_of(emulator_target.settings.credentials.url), delay=0.015) as relay:
        url = relay.url_for(emulator_target.settings.credentials.url)
        credentials = dataclasses.replace(emulator_target.settings.credentials, url=url)
        settings = dataclasses.replace(emulator_target.settings, credentials=credentials)
        http = HttpClient(settings, sleep=emulator_target.sleep, clock=time.monotonic)
        try:
            http.send("GET", f"{http.urls.base}/api/system/ping", what="pinging")
            assert (http.distance or 0.0) >= 0.015  # what tells the distance
            emulator_target.emu.counters.reset()
            used = _receive_big(http, tmp_path / "out", policy)
        finally:
            http.close()
    assert used == streams
    assert (tmp_path / "out" / "big.bin").read_bytes() == BIG
    # Every block asked for once, from the first byte: no first stream over the rest.
    expected = len(blocks(0, len(BIG), 4, 64 * 1024))
    assert emulator_target.emu.counters.snapshot().count("download", 206) == expected


def test_a_server_near_after_all_is_measured_and_split_as_a_near_one(
    emulator_target: Target, tmp_path: Path
) -> None:
    """The process's first answer was slow (a cold start: 20 ms), so the download takes
    the far path; its first block comes quickly, so one stream is measured and split as
    on a LAN (one connection never reaches this policy's rate: the most streams)."""
    _upload(emulator_target, tmp_path)
    http = HttpClient(emulator_target.settings, sleep=emulator_target.sleep, clock=time.monotonic)
    try:
        emulator_target.emu.faults.stall("GET", r"/api/system/ping$", seconds=0.02)
        http.send("GET", f"{http.urls.base}/api/system/ping", what="pinging")
        assert (http.distance or 0.0) >= 0.02
        used = _receive_big(
            http, tmp_path / "out", dataclasses.replace(_FAR_POLICY, target_rate=1e15)
        )
    finally:
        http.close()
    assert used == 4
    assert (tmp_path / "out" / "big.bin").read_bytes() == BIG
