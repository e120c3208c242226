"""Use case: download a dataset version."""

from __future__ import annotations

from domain.errors import ProtocolError
from domain.model.base import Value
from domain.model.entity import EntityKind, EntityRef
from domain.model.manifest import DatasetInfo
from domain.ports.artifact_store import Area, ArtifactStore
from domain.ports.filesystem import FileSystem
from domain.ports.progress import NULL_EVENTS, TransferEvents
from domain.services._fetch import DownloadResult, fetch

__all__ = ["DownloadDataset", "DownloadDatasetRequest"]


class DownloadDatasetRequest(Value, frozen=True):
    """Which version to fetch and where to write it."""

    repository: str
    name: str
    version: str
    target_path: str
    namespace: str | None = None


class DownloadDataset:
    """Download a dataset version into a folder.

    Rules: files land at ``target/<artifact_path>``; unsafe or colliding manifest paths
    are refused before anything is written; every byte is verified before it appears
    under its final name; a file already present is kept only when its hash matches.
    """

    def __init__(self, *, store: ArtifactStore, filesystem: FileSystem) -> None:
        self._store = store
        self._filesystem = filesystem

    def __call__(
        self, request: DownloadDatasetRequest, events: TransferEvents = NULL_EVENTS
    ) -> DownloadResult:
        ref = EntityRef(
            repository=request.repository,
            kind=EntityKind.DATASET,
            name=request.name,
            namespace=request.namespace,
            version=request.version,
        )
        manifest = self._store.read_version(ref).manifest
        if not isinstance(manifest, DatasetInfo):
            raise ProtocolError(f"{ref.describe()} has no dataset manifest")
        plan = [(a.artifact_path, Area.FILES, a) for a in manifest.dataset_artifacts]
        return fetch(self._store, self._filesystem, ref, plan, request.target_path, events)
