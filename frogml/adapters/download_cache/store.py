"""CachingStore: an ArtifactStore decorator that downloads each content once per machine.

A file whose SHA-256 was downloaded before, in any version of any entity, is copied
from the cache through its sink (so its bytes are verified like downloaded ones);
the others go through the wrapped store, then join the cache by reflink, hard link or
copy (:class:`~frogml.domain.ports.filesystem.ClonableSink`). A cached file that proves
wrong (changed through a hard link, say) is dropped and downloaded again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from frogml.adapters.download_cache._blobs import BlobFolder
from frogml.domain.errors import IntegrityError
from frogml.domain.model.entity import EntityKind, EntityRef, VersionSummary
from frogml.domain.model.manifest import Manifest
from frogml.domain.ports.artifact_store import (
    ArtifactStore,
    DownloadItem,
    Transaction,
    UploadItem,
    UploadReport,
)
from frogml.domain.ports.filesystem import ClonableSink
from frogml.domain.ports.progress import TransferEvents

__all__ = ["CachingStore"]

_BLOCK = 1 << 20
_THREADS = 8  # copying many small files is bound by per-file work (open, fsync, rename)


class CachingStore(ArtifactStore):
    """Serves downloads from ``folder`` when it can; delegates everything else."""

    def __init__(self, inner: ArtifactStore, folder: Path) -> None:
        self._inner = inner
        self._blobs = BlobFolder(folder)

    def __repr__(self) -> str:
        return f"CachingStore({self._inner!r}, folder={str(self._blobs.root)!r})"

    def download(
        self, ref: EntityRef, items: Sequence[DownloadItem], events: TransferEvents
    ) -> None:
        with ThreadPoolExecutor(_THREADS, thread_name_prefix="frogml-cache") as pool:
            served = list(pool.map(lambda item: self._serve(item, events), items))
            missing = [item for item, done in zip(items, served, strict=True) if not done]
            if not missing:
                return
            try:
                self._inner.download(ref, missing, events)
            finally:  # those committed before a failure are kept too
                list(pool.map(self._keep, missing))

    def _serve(self, item: DownloadItem, events: TransferEvents) -> bool:
        artifact, sink = item.artifact, item.sink
        cached = self._blobs.find(artifact.sha256, artifact.size)
        if cached is None:
            return False
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
        events.advanced(artifact.size)
        events.file_done(sink.rel_path, transferred=False)
        return True

    def _keep(self, item: DownloadItem) -> None:
        sink = item.sink
        if isinstance(sink, ClonableSink):
            self._blobs.add(item.artifact.sha256, sink.clone_to)

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

    def list_entities(self, repository: str, kind: EntityKind) -> Sequence[str]:
        return self._inner.list_entities(repository, kind)

    def close(self) -> None:
        self._inner.close()
