"""Use case: download a dataset version."""

from __future__ import annotations

from frogml.domain.errors import ProtocolError
from frogml.domain.model.base import Value
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.manifest import Artifact, DatasetInfo
from frogml.domain.model.plan import SkippedFile, TransferPlan
from frogml.domain.ports.artifact_store import Area, ArtifactStore
from frogml.domain.ports.filesystem import FileSystem
from frogml.domain.ports.progress import NULL_EVENTS, TransferEvents
from frogml.domain.services._fetch import DownloadResult, fetch
from frogml.domain.services._plan import filter_download, plan_download

__all__ = ["DownloadDataset", "DownloadDatasetRequest"]

_Plan = list[tuple[str, Area, Artifact]]


class DownloadDatasetRequest(Value, frozen=True):
    """Which version to fetch, where to write it, and which files to take."""

    repository: str
    name: str
    version: str
    target_path: str
    namespace: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


class DownloadDataset:
    """Download a dataset version into a folder.

    Rules: files land at ``target/<artifact_path>``; ``include``/``exclude`` patterns
    (gitignore syntax) choose which; unsafe or colliding manifest paths are refused
    before anything is written; every byte is verified before it appears under its
    final name; a file already present is kept only when its hash matches;
    :meth:`plan` reports the same decisions and writes nothing.
    """

    def __init__(self, *, store: ArtifactStore, filesystem: FileSystem) -> None:
        self._store = store
        self._filesystem = filesystem

    def __call__(
        self, request: DownloadDatasetRequest, events: TransferEvents = NULL_EVENTS
    ) -> DownloadResult:
        ref, plan, skipped = self._selected(request)
        return fetch(
            self._store, self._filesystem, ref, plan, request.target_path, events, skipped=skipped
        )

    def plan(self, request: DownloadDatasetRequest) -> TransferPlan:
        """What :meth:`__call__` would download, reuse and leave out."""
        ref, plan, skipped = self._selected(request)
        return plan_download(self._filesystem, ref, plan, skipped, request.target_path)

    def _selected(
        self, request: DownloadDatasetRequest
    ) -> tuple[EntityRef, _Plan, list[SkippedFile]]:
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
        plan: _Plan = [(a.artifact_path, Area.FILES, a) for a in manifest.dataset_artifacts]
        kept, skipped = filter_download(plan, request.include, request.exclude)
        return ref, kept, skipped
