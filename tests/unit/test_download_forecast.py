"""A download tells its store that it begins, before the manifest is read, and what it
will fetch (DownloadForecast) once it is, before it looks at its target: the store opens
connections meanwhile. Only the files the request selects are forecast; a request that
selects none forecasts nothing; a plan (a dry run) forecasts nothing at all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

import pytest

from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore, ManualClock
from frogml.domain.errors import ValidationError
from frogml.domain.model.entity import EntityRef
from frogml.domain.model.manifest import Manifest
from frogml.domain.ports.artifact_store import DownloadItem
from frogml.domain.ports.forecast import DownloadForecast
from frogml.domain.ports.progress import TransferEvents
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest


class _Store(InMemoryStore, DownloadForecast):
    def __init__(self) -> None:
        super().__init__(clock=ManualClock(datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)))
        self.calls: list[str] = []

    def read_manifest(self, ref: EntityRef) -> Manifest:
        self.calls.append("manifest")
        return super().read_manifest(ref)

    def download_begins(self, ref: EntityRef) -> None:
        self.calls.append(f"begins {ref.version}")

    def expect_download(self, sizes: Iterable[int]) -> None:
        self.calls.append(f"expect {sorted(sizes)}")

    def download(
        self, ref: EntityRef, items: Sequence[DownloadItem], events: TransferEvents
    ) -> None:
        self.calls.append(f"download {len(items)}")
        super().download(ref, items, events)


class _Watched(InMemoryFileSystem):
    """Records when the download first looks at its target."""

    def __init__(self, calls: list[str]) -> None:
        super().__init__()
        self._calls = calls

    def check_target(self, target: str) -> None:
        self._calls.append("target")
        super().check_target(target)


def _published(store: _Store) -> None:
    source = InMemoryFileSystem()
    source.add_file("/src/a.bin", b"a" * 100)
    source.add_file("/src/b.txt", b"b" * 7)
    source.add_file("/src/c.bin", b"c" * 30)
    Upload(store=store, filesystem=source)(
        UploadDatasetRequest(repository="ml-local", name="d", version="1", source_path="/src")
    )
    store.calls.clear()


def _request(include: tuple[str, ...] = ()) -> DownloadDatasetRequest:
    return DownloadDatasetRequest(
        repository="ml-local", name="d", version="1", target_path="/out", include=include
    )


def test_the_store_hears_of_the_download_before_the_target_is_looked_at() -> None:
    store = _Store()
    _published(store)
    Download(store=store, filesystem=_Watched(store.calls))(_request())
    assert store.calls == [
        "begins 1",
        "manifest",
        "expect [7, 30, 100]",
        "target",
        "download 3",
    ]


def test_only_the_selected_files_are_forecast() -> None:
    store = _Store()
    _published(store)
    Download(store=store, filesystem=_Watched(store.calls))(_request(("*.bin",)))
    assert store.calls == [
        "begins 1",
        "manifest",
        "expect [30, 100]",
        "target",
        "download 2",
    ]


def test_a_request_that_selects_nothing_forecasts_nothing() -> None:
    store = _Store()
    _published(store)
    with pytest.raises(ValidationError, match="matches the include/exclude patterns"):
        Download(store=store, filesystem=_Watched(store.calls))(_request(("*.none",)))
    assert store.calls == ["begins 1", "manifest"]


def test_a_plan_forecasts_nothing() -> None:
    store = _Store()
    _published(store)
    plan = Download(store=store, filesystem=_Watched(store.calls)).plan(_request())
    assert len(plan.transfer) == 3
    assert store.calls == ["manifest", "target"]
