"""The download cache against the emulator: content fetched once is not fetched again."""

from __future__ import annotations

import os
from pathlib import Path

from frogml.adapters.download_cache import CachingStore
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration.helpers import Target, files_under, filesystem, write_tree

FILES = {"big.bin": os.urandom(300_000), "small.txt": b"small"}


def test_a_second_download_of_the_same_content_sends_no_file_bytes(
    emulator_target: Target, tmp_path: Path
) -> None:
    store = CachingStore(emulator_target.store(), tmp_path / "cache")
    for version in ("1", "2"):  # two versions with the same content
        Upload(store=store, filesystem=filesystem())(
            UploadDatasetRequest(
                repository="ml-local",
                name="data",
                version=version,
                source_path=str(write_tree(tmp_path / f"src{version}", FILES)),
            )
        )

    def download(version: str) -> Path:
        out = tmp_path / f"out{version}"
        Download(store=store, filesystem=filesystem())(
            DownloadDatasetRequest(
                repository="ml-local", name="data", version=version, target_path=str(out)
            )
        )
        return out

    assert files_under(download("1")) == FILES
    emu = emulator_target.emu
    emu.counters.reset()
    assert files_under(download("2")) == FILES
    counts = emu.counters.snapshot()
    assert counts.count("download") == 0
    assert counts.bytes_sent < 10_000  # the manifest and properties only
