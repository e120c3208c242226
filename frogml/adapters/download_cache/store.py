"""CachingStore: an ArtifactStore decorator that downloads each content once per machine.

A file whose SHA-256 was downloaded before, in any version of any entity, is copied
from the cache through its sink (so its bytes are verified like downloaded ones);
the others go through the wrapped store, and each joins the cache as soon as its sink
is committed, by reflink, hard link or copy
(:class:`~frogml.domain.ports.filesystem.ClonableSink`). A cached file that proves wrong
(changed through a hard link, say) is dropped and downloaded again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import overload

from frogml.adapters.download_cache._blobs import BlobFolder
from frogml.adapters.download_cache._keeping import keeping
from frogml.adapters.open_files import check_open_files
from frogml.domain.errors import IntegrityError
from frogml.domain.model.entity import EntityKind, EntityRef, VersionSummary
from frogml.domain.model.manifest import Manifest
from frogml.domain.model.repository import RepositoryListing
from frogml.domain.ports.artifact_store import (
    ArtifactStore,
    DownloadItem,
    SinkOpener,
    Transaction,
    UploadItem,
    UploadReport,
)
from frogml.domain.ports.filesystem import FileSink
from frogml.domain.ports.forecast import BeginsAhead, DownloadForecast, UploadForecast
from frogml.domain.ports.preflight import UploadPreflight
from frogml.domain.ports.progress import TransferEvents, report_reused

__all__ = ["CachingStore"]

_BLOCK = 1 << 20
_THREADS = 8  # copying many small files is bound by per-file work (open, fsync, rename)
_WINDOW = 512  # files handed to the threads at once


class CachingStore(ArtifactStore, UploadPreflight, UploadForecast, BeginsAhead, DownloadForecast):
    """Serves downloads from ``folder`` when it can; delegates everything else."""

    def __init__(self, inner: ArtifactStore, folder: Path) -> None:
        self._inner = inner
        self._blobs = BlobFolder(folder)

    def __repr__(self) -> str:
        return f"CachingStore({self._inner!r}, folder={str(self._blobs.root)!r})"

    def download(
        self, ref: EntityRef, items: Sequence[DownloadItem], events: TransferEvents
    ) -> None:
        # Per thread: the cached file, the partial file, and its folder.
        check_open_files(
            threads=min(_THREADS, len(items)), per_thread=3, doing="copying from the download cache"
        )
        missing: list[DownloadItem] = []
        with ThreadPoolExecutor(_THREADS, thread_name_prefix="frogml-cache") as pool:
            for start in range(0, len(items), _WINDOW):  # not a future per file at once
                window = items[start : start + _WINDOW]
                served = pool.map(lambda item: self._serve(item, events), window)
                missing += [item for item, done in zip(window, served, strict=True) if not done]
        if missing:
            self._inner.download(ref, self._kept(missing), events)

    def _serve(self, item: DownloadItem, events: TransferEvents) -> bool:
        artifact = item.artifact
        cached = self._blobs.find(artifact.sha256, artifact.size)
        if cached is None:
            return False  # no sink opened: the wrapped store opens it when it gets there
        with item.sink() as sink:
            try:
                with open(cached, "rb") as source:
                    source.seek(min(sink.offset, artifact.size))
                    while block := source.read(_BLOCK):
                        sink.write(block)
                sink.commit()  # verifies size and SHA-256 like any download
            except IntegrityError:
                self._blobs.drop(artifact.sha256)
                sink.restart()
                return False
            except OSError:
                sink.restart()
                return False
        report_reused(events, artifact.size)
        events.file_done(item.rel_path, transferred=False)
        return True

    def _kept(self, items: Sequence[DownloadItem]) -> Sequence[DownloadItem]:
        """``items`` whose sinks join the cache when committed (also before a failure)."""
        return _Kept(items, self._keeping)

    def _keeping(self, opener: SinkOpener) -> SinkOpener:
        def open_kept(item: DownloadItem) -> FileSink:
            sha256 = item.artifact.sha256
            return keeping(opener(item), lambda sink: self._blobs.add(sha256, sink.clone_to))

        return open_kept

    # -- everything else is the wrapped store's ----------------------------------
    def begin(self, ref: EntityRef) -> Transaction:
        return self._inner.begin(ref)

    def upload(
        self, transaction: Transaction, items: Sequence[UploadItem], events: TransferEvents
    ) -> UploadReport:
        return self._inner.upload(transaction, items, events)

    def commit(
        self, transaction: Transaction, manifest: Manifest, properties: Mapping[str, str]
    ) -> None:
        self._inner.commit(transaction, manifest, properties)

    def abort(self, transaction: Transaction) -> None:
        self._inner.abort(transaction)

    def read_manifest(self, ref: EntityRef) -> Manifest:
        return self._inner.read_manifest(ref)

    def read_properties(self, ref: EntityRef) -> dict[str, str]:
        return self._inner.read_properties(ref)

    def list_versions(self, ref: EntityRef) -> Sequence[VersionSummary]:
        return self._inner.list_versions(ref)

    def check_upload(self, ref: EntityRef) -> None:
        if isinstance(self._inner, UploadPreflight):
            self._inner.check_upload(ref)

    def expect_upload(self, sizes: Iterable[int]) -> None:
        if isinstance(self._inner, UploadForecast):
            self._inner.expect_upload(sizes)

    def download_begins(self, ref: EntityRef) -> None:
        if isinstance(self._inner, DownloadForecast):
            self._inner.download_begins(ref)

    def expect_download(self, sizes: Iterable[int]) -> None:
        # Some may come from the cache, and need no connection: a few opened for nothing
        # cost less than looking them up twice.
        if isinstance(self._inner, DownloadForecast):
            self._inner.expect_download(sizes)

    def begin_ahead(self, ref: EntityRef) -> None:
        if isinstance(self._inner, BeginsAhead):
            self._inner.begin_ahead(ref)

    def cancel_ahead(self) -> None:
        if isinstance(self._inner, BeginsAhead):
            self._inner.cancel_ahead()

    def list_entities(self, repository: str, kind: EntityKind) -> Sequence[str]:
        return self._inner.list_entities(repository, kind)

    def delete_version(self, ref: EntityRef) -> None:
        self._inner.delete_version(ref)  # cached contents are by SHA-256: they stay valid

    def list_repositories(self) -> Sequence[RepositoryListing]:
        return self._inner.list_repositories()

    def close(self) -> None:
        self._inner.close()


class _Kept(Sequence[DownloadItem]):
    """``items`` with their openers wrapped, each copy made when it is read: a copy per
    file held for the whole download would cost as much as the manifest (issue 15)."""

    def __init__(
        self, items: Sequence[DownloadItem], keeping: Callable[[SinkOpener], SinkOpener]
    ) -> None:
        self._items = items
        self._keeping = keeping
        self._openers: dict[SinkOpener, SinkOpener] = {}  # usually one: items share theirs

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> DownloadItem: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[DownloadItem]: ...
    def __getitem__(self, index: int | slice) -> DownloadItem | Sequence[DownloadItem]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        item = self._items[index]
        opener = self._openers.get(item.opener)
        if opener is None:
            opener = self._openers.setdefault(item.opener, self._keeping(item.opener))
        return replace(item, opener=opener)
