"""An upload tells its store what comes (UploadForecast) and lets it start the
transaction (BeginsAhead) before it hashes the files, when the filesystem checks and
lists a source apart from hashing it (HashesApart). Only after everything refused
before sending has been checked; a file that cannot be hashed after all publishes
nothing and cancels the transaction begun ahead."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone

import pytest

from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore, ManualClock
from frogml.domain.errors import LocalFileError, NotFoundError, ValidationError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.patterns import PathRules
from frogml.domain.ports.artifact_store import Transaction
from frogml.domain.ports.filesystem import HashesApart, ScannedSource, Selection
from frogml.domain.ports.forecast import BeginsAhead, UploadForecast
from frogml.domain.services.upload import Upload, UploadDatasetRequest


class _Scan:
    def __init__(self, selection: Selection, hashing: Callable[[], None]) -> None:
        self._selection = selection
        self._hashing = hashing

    @property
    def rel_paths(self) -> Sequence[str]:
        return [f.rel_path for f in self._selection.files]

    def sizes(self) -> Iterator[int]:
        return iter([f.size for f in self._selection.files])

    def hashed(self) -> Selection:
        self._hashing()
        return self._selection


class _ApartFileSystem(InMemoryFileSystem, HashesApart):
    """The in-memory filesystem, hashing apart: ``hashing`` runs as the files are hashed."""

    def __init__(self, hashing: Callable[[], None]) -> None:
        super().__init__()
        self.hashing = hashing
        self.scans = 0

    def scan_first(self, source: str, rules: PathRules) -> ScannedSource:
        self.scans += 1
        return _Scan(self.select(source, rules), lambda: self.hashing())


class _Store(InMemoryStore, UploadForecast, BeginsAhead):
    def __init__(self) -> None:
        super().__init__(clock=ManualClock(datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)))
        self.calls: list[str] = []

    def expect_upload(self, sizes: Iterable[int]) -> None:
        self.calls.append(f"expect {sorted(sizes)}")

    def begin_ahead(self, ref: EntityRef) -> None:
        self.calls.append(f"ahead {ref.version}")

    def cancel_ahead(self) -> None:
        self.calls.append("cancel")

    def begin(self, ref: EntityRef) -> Transaction:
        self.calls.append("begin")
        return super().begin(ref)


def _request(version: str | None = "1") -> UploadDatasetRequest:
    return UploadDatasetRequest(
        repository="ml-local", name="data", version=version, source_path="/src"
    )


def test_the_store_hears_of_the_upload_before_the_files_are_hashed() -> None:
    store = _Store()
    filesystem = _ApartFileSystem(lambda: store.calls.append("hashing"))
    filesystem.add_file("/src/a.bin", b"a" * 100)
    filesystem.add_file("/src/b.bin", b"b" * 7)
    result = Upload(store=store, filesystem=filesystem)(_request())
    assert store.calls == ["expect [7, 100]", "ahead 1", "hashing", "begin"]
    assert sorted(a.artifact_path for _, a in result.entity_version.manifest.entries()) == [
        "a.bin",
        "b.bin",
    ]


def test_without_hashing_apart_the_store_hears_of_it_after_hashing() -> None:
    store = _Store()
    filesystem = InMemoryFileSystem()
    filesystem.add_file("/src/a.bin", b"a" * 100)
    Upload(store=store, filesystem=filesystem)(_request())
    assert store.calls == ["expect [100]", "begin"]


def test_a_file_that_cannot_be_hashed_cancels_the_transaction_and_publishes_nothing() -> None:
    store = _Store()

    def fail() -> None:
        raise LocalFileError("cannot read '/src/a.bin': gone", path="/src/a.bin")

    filesystem = _ApartFileSystem(fail)
    filesystem.add_file("/src/a.bin", b"a")
    with pytest.raises(LocalFileError, match="gone"):
        Upload(store=store, filesystem=filesystem)(_request())
    assert store.calls == ["expect [1]", "ahead 1", "cancel"]
    ref = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name="data")
    with pytest.raises(NotFoundError):  # nothing published
        store.list_versions(ref)


def test_what_is_refused_before_sending_is_refused_before_the_forecast() -> None:
    store = _Store()
    filesystem = _ApartFileSystem(lambda: None)
    filesystem.add_file("/src/a.bin", b"a")
    with pytest.raises(ValidationError, match="does not exist"):
        Upload(store=store, filesystem=filesystem)(
            UploadDatasetRequest(repository="ml-local", name="d", version="1", source_path="/no")
        )
    with pytest.raises(ValidationError, match="latest"):
        Upload(store=store, filesystem=filesystem)(_request("latest"))
    assert filesystem.scans == 1  # the version was refused before the source was read
    assert store.calls == []
