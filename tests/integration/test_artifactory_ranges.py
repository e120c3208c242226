"""Large files arrive as concurrent byte ranges, and the whole file is still verified."""

from __future__ import annotations

import dataclasses
import itertools
import os
from pathlib import Path

import pytest

from frogml.adapters.artifactory import ArtifactoryStore, RangePolicy
from frogml.adapters.artifactory._ranges import spans
from frogml.domain.errors import IntegrityError
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
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
