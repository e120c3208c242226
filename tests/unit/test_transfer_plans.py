"""Use cases over the in-memory fakes: patterns, .frogmlignore, dry runs, listings."""

from __future__ import annotations

import pytest

from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore, ManualClock
from frogml.domain.errors import NotFoundError, ValidationError
from frogml.domain.model.entity import EntityKind
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.list_entities import ListEntities
from frogml.domain.services.upload import Upload, UploadDatasetRequest


@pytest.fixture
def fs() -> InMemoryFileSystem:
    disk = InMemoryFileSystem()
    disk.add_file("/src/train.csv", b"a,b\n1,2\n")
    disk.add_file("/src/test.csv", b"a,b\n3,4\n")
    disk.add_file("/src/notes.md", b"# notes")
    disk.add_file("/src/cache/x.bin", b"\x00" * 10)
    disk.add_file("/src/.frogmlignore", b"cache/\n# comments are fine\n")
    return disk


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore(clock=ManualClock())


def _upload(store: InMemoryStore, fs: InMemoryFileSystem) -> Upload:
    return Upload(store=store, filesystem=fs, blobs=store)


def _request(
    version: str = "1", *, include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
) -> UploadDatasetRequest:
    return UploadDatasetRequest(
        repository="ml-local",
        name="d",
        source_path="/src",
        version=version,
        include=include,
        exclude=exclude,
    )


def test_upload_honours_the_ignore_file_and_the_patterns(
    store: InMemoryStore, fs: InMemoryFileSystem
) -> None:
    result = _upload(store, fs)(_request(include=("*.csv",), exclude=("test.csv",)))
    paths = [a.artifact_path for a in result.dataset_version.manifest.dataset_artifacts]
    assert paths == ["train.csv"]


def test_a_plan_sends_nothing_and_knows_what_the_store_holds(
    store: InMemoryStore, fs: InMemoryFileSystem
) -> None:
    _upload(store, fs)(_request(version="1", include=("train.csv",)))
    received = store.files_received
    plan = _upload(store, fs).plan(_request(version="2"))
    assert store.files_received == received
    assert [f.path for f in plan.reuse] == ["train.csv"]
    assert sorted(f.path for f in plan.transfer) == ["notes.md", "test.csv"]
    assert {(s.path, s.reason) for s in plan.skipped} == {
        (".frogmlignore", "ignore file"),
        ("cache/x.bin", "excluded"),
    }
    assert plan.reuse_known


def test_without_a_blob_index_the_plan_says_reuse_is_unknown(
    store: InMemoryStore, fs: InMemoryFileSystem
) -> None:
    plan = Upload(store=store, filesystem=fs).plan(_request())
    assert not plan.reuse_known
    assert plan.reuse == ()


def test_patterns_leaving_out_every_file_are_refused(
    store: InMemoryStore, fs: InMemoryFileSystem
) -> None:
    with pytest.raises(ValidationError, match="no file to upload"):
        _upload(store, fs)(_request(include=("*.parquet",)))
    assert store.versions == {}


def test_download_filters_the_manifest_and_plans_without_writing(
    store: InMemoryStore, fs: InMemoryFileSystem
) -> None:
    _upload(store, fs)(_request())
    download = Download(store=store, filesystem=fs)
    request = DownloadDatasetRequest(
        repository="ml-local", name="d", version="1", target_path="/out", exclude=("*.md",)
    )
    plan = download.plan(request)
    assert not fs.exists("/out")
    assert sorted(f.path for f in plan.transfer) == ["test.csv", "train.csv"]
    assert [(s.path, s.reason) for s in plan.skipped] == [("notes.md", "excluded")]
    result = download(request)
    assert result.files_downloaded == 2
    assert not fs.exists("/out/notes.md")
    again = download.plan(request)
    assert again.transfer == ()
    assert len(again.reuse) == 2


def test_list_entities_sorts_by_namespace_then_name(
    store: InMemoryStore, fs: InMemoryFileSystem
) -> None:
    for name, namespace in (("b", None), ("a", "team"), ("a", None)):
        request = UploadDatasetRequest(
            repository="ml-local", name=name, namespace=namespace, source_path="/src"
        )
        _upload(store, fs)(request)
    listed = ListEntities(store=store)("ml-local", EntityKind.DATASET)
    assert [e.path for e in listed] == ["a", "b", "team/a"]
    assert ListEntities(store=store)("ml-local", EntityKind.MODEL) == []
    with pytest.raises(NotFoundError):
        ListEntities(store=store)("other", EntityKind.DATASET)
