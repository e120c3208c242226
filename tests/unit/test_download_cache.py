"""The shared download cache: each content is downloaded once, and always verified."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from frogml import FrogMLStorage
from frogml.adapters.download_cache import CachingStore
from frogml.adapters.download_cache._blobs import BlobFolder
from frogml.adapters.filesystem import LocalFileSystem
from frogml.adapters.memory.filesystem import InMemoryFileSystem
from frogml.adapters.memory.store import InMemoryStore
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.ports.artifact_store import BlobIndex, DownloadItem
from frogml.domain.ports.filesystem import FileSystem
from frogml.domain.ports.progress import TransferEvents
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest

FILES = {"a.bin": b"a" * 5000, "sub/b.bin": b"b" * 70_000}


class CountingStore(InMemoryStore):
    """The in-memory store, remembering which files it was asked to download."""

    def __init__(self) -> None:
        super().__init__()
        self.downloaded: list[str] = []

    def download(
        self, ref: EntityRef, items: Sequence[DownloadItem], events: TransferEvents
    ) -> None:
        self.downloaded += [item.artifact.artifact_path for item in items]
        super().download(ref, items, events)


def _publish(store: CachingStore, version: str, files: dict[str, bytes]) -> None:
    disk = InMemoryFileSystem()
    for rel, data in files.items():
        disk.add_file(f"/src{version}/{rel}", data)
    Upload(store=store, filesystem=disk)(
        UploadDatasetRequest(
            repository="repo", name="data", version=version, source_path=f"/src{version}"
        )
    )


def _fetch(store: CachingStore, fs: FileSystem, version: str, target: Path | str) -> None:
    Download(store=store, filesystem=fs)(
        DownloadDatasetRequest(
            repository="repo", name="data", version=version, target_path=str(target)
        )
    )


def _read(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def inner() -> CountingStore:
    return CountingStore()


@pytest.fixture
def store(inner: CountingStore, tmp_path: Path) -> CachingStore:
    return CachingStore(inner, tmp_path / "cache")


def test_a_second_download_of_the_same_content_is_served_from_the_cache(
    inner: CountingStore, store: CachingStore, tmp_path: Path
) -> None:
    _publish(store, "1", FILES)
    _publish(store, "2", {"renamed.bin": FILES["sub/b.bin"], "new.bin": b"new"})
    _fetch(store, LocalFileSystem(), "1", tmp_path / "one")
    _fetch(store, LocalFileSystem(), "2", tmp_path / "two")
    assert _read(tmp_path / "one") == FILES
    assert _read(tmp_path / "two") == {"renamed.bin": FILES["sub/b.bin"], "new.bin": b"new"}
    assert sorted(inner.downloaded) == ["a.bin", "new.bin", "sub/b.bin"]


def test_a_cached_file_that_changed_is_dropped_and_downloaded_again(
    inner: CountingStore, store: CachingStore, tmp_path: Path
) -> None:
    _publish(store, "1", FILES)
    _fetch(store, LocalFileSystem(), "1", tmp_path / "one")
    # A hard link shares the cached bytes: editing the download in place alters them.
    sha = hashlib.sha256(FILES["a.bin"]).hexdigest()
    cached = tmp_path / "cache" / "sha256" / sha[:2] / sha
    cached.unlink()
    cached.write_bytes(b"x" * len(FILES["a.bin"]))
    _fetch(store, LocalFileSystem(), "1", tmp_path / "again")
    assert _read(tmp_path / "again") == FILES
    assert inner.downloaded.count("a.bin") == 2
    assert inner.downloaded.count("sub/b.bin") == 1
    assert cached.read_bytes() == FILES["a.bin"]  # the good bytes joined the cache again


def test_sinks_that_cannot_be_cloned_download_without_caching(
    inner: CountingStore, store: CachingStore, tmp_path: Path
) -> None:
    _publish(store, "1", FILES)
    disk = InMemoryFileSystem()
    _fetch(store, disk, "1", "/out")
    _fetch(store, disk, "1", "/again")
    assert disk.read("/again/sub/b.bin") == FILES["sub/b.bin"]
    assert len(inner.downloaded) == 4
    assert not (tmp_path / "cache").exists()


def test_the_wrapped_store_keeps_answering_everything_else(
    inner: CountingStore, store: CachingStore
) -> None:
    _publish(store, "1", FILES)
    ref = EntityRef(repository="repo", kind=EntityKind.DATASET, name="data")
    assert [v.version for v in store.list_versions(ref)] == ["1"]
    assert store.list_entities("repo", EntityKind.DATASET) == ["data"]
    assert store.read_properties(ref.with_version("1")) == {}


@pytest.mark.parametrize(
    ("env", "keyword", "cached"),
    [({}, True, True), ({"FROGML_NO_CACHE": "1"}, True, False), ({}, False, False)],
)
def test_artifactory_downloads_use_the_cache_unless_bypassed(
    tmp_path: Path, env: dict[str, str], keyword: bool, cached: bool
) -> None:
    environ = {"JF_URL": "http://127.0.0.1:9/artifactory", "HOME": str(tmp_path), **env}
    storage = FrogMLStorage(env=environ, download_cache=keyword)
    assert isinstance(storage._store, CachingStore) is cached


def test_the_cache_folder_follows_frogml_cache_dir(tmp_path: Path) -> None:
    environ = {"JF_URL": "http://127.0.0.1:9/artifactory", "FROGML_CACHE_DIR": str(tmp_path)}
    storage = FrogMLStorage(env=environ)
    assert str(tmp_path / "blobs") in repr(storage._store)


class ClosingStore(InMemoryStore):
    closed = 0

    def close(self) -> None:
        self.closed += 1


def test_closing_the_caching_store_closes_the_wrapped_store(tmp_path: Path) -> None:
    inner = ClosingStore()
    CachingStore(inner, tmp_path / "cache").close()
    assert inner.closed == 1


def test_the_caching_store_is_no_blob_index_whatever_it_wraps(tmp_path: Path) -> None:
    # It forwards nothing implicitly: what it offers is what its class defines, so the
    # answer is the same on every Python version (no __getattr__ forwarding).
    assert isinstance(InMemoryStore(), BlobIndex)
    assert not isinstance(CachingStore(InMemoryStore(), tmp_path / "cache"), BlobIndex)
    assert not hasattr(CachingStore(InMemoryStore(), tmp_path / "cache"), "corrupt_blob")


def test_a_cache_folder_removed_while_in_use_is_made_again(tmp_path: Path) -> None:
    """The blob folder remembers the shard folders it made (a mkdir per file cost as
    much as the rest of adding it); when the cache is cleaned meanwhile, one addition
    is lost (best effort) and the next makes the folder again."""
    blobs = BlobFolder(tmp_path / "cache")
    sha = "ab" + "0" * 62

    def fill(data: bytes) -> Callable[[str], bool]:
        def write(path: str) -> bool:
            Path(path).write_bytes(data)
            return True

        return write

    blobs.add(sha, fill(b"one"))
    assert blobs.find(sha, 3) == blobs.path(sha)
    shutil.rmtree(tmp_path / "cache")
    blobs.add(sha, fill(b"two"))  # its folder is gone: not cached, nothing raised
    assert blobs.find(sha, 3) is None
    blobs.add(sha, fill(b"two"))
    assert blobs.path(sha).read_bytes() == b"two"
    assert [p.name for p in blobs.path(sha).parent.iterdir()] == [sha]  # no temp left
