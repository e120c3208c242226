"""Requests in flight: connections are reused and capped, and a big download is split
into as many byte ranges as its measured throughput calls for, within the cap."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from frogml.adapters.artifactory import ArtifactoryStore, RangePolicy
from frogml.adapters.artifactory.settings import ArtifactorySettings
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration._relay import CountingRelay, upstream_of
from tests.integration.helpers import Target, files_under, filesystem, write_tree

MIB = 1 << 20


def _settings(target: Target, url: str | None = None, **changes: object) -> ArtifactorySettings:
    settings = target.settings
    if url is not None:
        credentials = dataclasses.replace(settings.credentials, url=url)
        settings = dataclasses.replace(settings, credentials=credentials)
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]


def _round_trip(settings: ArtifactorySettings, target: Target, source: Path, out: Path) -> None:
    store = ArtifactoryStore(settings, sleep=target.sleep)
    Upload(store=store, filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="many", version="1", source_path=str(source)
        )
    )
    Download(store=store, filesystem=filesystem())(
        DownloadDatasetRequest(
            repository="ml-local", name="many", version="1", target_path=str(out)
        )
    )


def test_many_files_reuse_a_few_connections_and_never_exceed_the_cap(
    emulator_target: Target, tmp_path: Path
) -> None:
    if not emulator_target.settings.credentials.url.startswith("http:"):
        pytest.skip("the relay counts plain HTTP connections")
    files = {f"f{n:03d}.bin": os.urandom(100 + n) for n in range(120)}
    source = write_tree(tmp_path / "src", files)
    with CountingRelay(upstream_of(emulator_target.settings.credentials.url)) as proxy:
        url = proxy.url_for(emulator_target.settings.credentials.url)
        settings = _settings(emulator_target, url, thread_count=2, max_in_flight=4)
        _round_trip(settings, emulator_target, source, tmp_path / "out")
    assert files_under(tmp_path / "out") == files
    # 240 file requests (and a few more) went over at most 4 connections, kept open.
    assert 1 <= proxy.accepted <= 4
    assert proxy.most_open <= 4


def test_ranged_streams_never_exceed_the_requests_in_flight(
    emulator_target: Target, tmp_path: Path
) -> None:
    big = os.urandom(2 * MIB + 17)
    source = write_tree(tmp_path / "src", {"big.bin": big})
    ranges = RangePolicy(threshold=64 * 1024, parts=8)
    settings = _settings(emulator_target, ranges=ranges, max_in_flight=3, thread_count=1)
    emu = emulator_target.emu
    store = ArtifactoryStore(settings, sleep=emulator_target.sleep)
    Upload(store=store, filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="big", version="1", source_path=str(source)
        )
    )
    emu.counters.reset()
    out = tmp_path / "out"
    Download(store=store, filesystem=filesystem())(
        DownloadDatasetRequest(repository="ml-local", name="big", version="1", target_path=str(out))
    )
    assert files_under(out) == {"big.bin": big}
    assert emu.counters.snapshot().count("download", 206) == 3  # 8 asked, 3 allowed


@pytest.mark.parametrize("split", [True, False])
def test_a_big_download_splits_as_its_measured_throughput_says(
    emulator_target: Target, tmp_path: Path, split: bool
) -> None:
    big = os.urandom(16 * MIB + 5)
    source = write_tree(tmp_path / "src", {"big.bin": big})
    # One stream starts; after its first block (latency) and 1 MiB more, it is
    # measured: far below an unreachable target rate (it is split: the rest of the file
    # goes in blocks of 2 MiB to 4 streams), or above 1 byte/s (it stays alone).
    ranges = RangePolicy(
        threshold=MIB,
        max_parts=4,
        probe=MIB,
        min_part=2 * MIB,
        target_rate=1e15 if split else 1.0,
    )
    settings = _settings(emulator_target, ranges=ranges)
    emu = emulator_target.emu
    store = ArtifactoryStore(settings, sleep=emulator_target.sleep)
    Upload(store=store, filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="big", version="1", source_path=str(source)
        )
    )
    emu.counters.reset()
    out = tmp_path / "out"
    Download(store=store, filesystem=filesystem())(
        DownloadDatasetRequest(repository="ml-local", name="big", version="1", target_path=str(out))
    )
    assert files_under(out) == {"big.bin": big}
    ranged = emu.counters.snapshot().count("download", 206)
    if split:
        assert 5 <= ranged <= 8  # the first stream, then 14 MiB or less in 2 MiB blocks
    else:
        assert ranged == 1
