"""Use case: upload a dataset version."""

from __future__ import annotations

import msgspec

from frogml.domain.model.base import Value
from frogml.domain.model.entity import DatasetVersion, EntityKind, EntityRef
from frogml.domain.model.manifest import DatasetInfo
from frogml.domain.model.names import check_properties
from frogml.domain.model.patterns import PathRules
from frogml.domain.model.plan import SkippedFile, TransferPlan
from frogml.domain.ports.artifact_store import (
    Area,
    ArtifactStore,
    BlobIndex,
    UploadItem,
    UploadReport,
)
from frogml.domain.ports.filesystem import FileSystem, SourceFile
from frogml.domain.ports.progress import NULL_EVENTS, TransferEvents
from frogml.domain.services._plan import plan_upload
from frogml.domain.services._publish import artifact_of, publish

__all__ = ["UploadDataset", "UploadDatasetRequest", "UploadDatasetResult"]


class UploadDatasetRequest(Value, frozen=True):
    """What to upload: a file or a folder."""

    repository: str
    name: str
    source_path: str
    namespace: str | None = None
    version: str | None = None
    properties: dict[str, str] = msgspec.field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


class UploadDatasetResult(Value, frozen=True):
    """The published version and what the upload moved."""

    dataset_version: DatasetVersion
    report: UploadReport


class UploadDataset:
    """Publish a dataset version.

    Rules: names, version and properties are checked first; the source is one file or a
    folder; the ignore list, the folder's ``.frogmlignore`` and the ``include``/
    ``exclude`` patterns (gitignore syntax) choose its files, and the selection must not
    be empty; the version is published only when every file is stored; an existing
    version is never replaced; :meth:`plan` reports what would be sent, deduplicated and
    left out, sending nothing.
    """

    def __init__(
        self, *, store: ArtifactStore, filesystem: FileSystem, blobs: BlobIndex | None = None
    ) -> None:
        self._store = store
        self._filesystem = filesystem
        self._blobs = blobs

    def plan(self, request: UploadDatasetRequest) -> TransferPlan:
        """What :meth:`__call__` would send; ``reuse_known`` is false without a BlobIndex."""
        ref, _, files, skipped = self._prepare(request)
        items = [UploadItem(area=Area.FILES, source=f) for f in files]
        return plan_upload(ref, items, skipped, self._blobs)

    def _prepare(
        self, request: UploadDatasetRequest
    ) -> tuple[EntityRef, dict[str, str], list[SourceFile], list[SkippedFile]]:
        ref = EntityRef(
            repository=request.repository,
            kind=EntityKind.DATASET,
            name=request.name,
            namespace=request.namespace,
            version=request.version,
        )
        properties = check_properties(request.properties)
        rules = PathRules(include=request.include, exclude=request.exclude)
        selection = self._filesystem.select(request.source_path, rules)
        return ref, properties, selection.files, selection.skipped

    def __call__(
        self, request: UploadDatasetRequest, events: TransferEvents = NULL_EVENTS
    ) -> UploadDatasetResult:
        ref, properties, files, _ = self._prepare(request)
        items = [UploadItem(area=Area.FILES, source=f) for f in files]

        def build(created_date: str) -> DatasetInfo:
            return DatasetInfo(
                created_date=created_date,
                dataset_artifacts=tuple(artifact_of(f) for f in files),
            )

        transaction, manifest, report = publish(
            self._store, ref, items, build_manifest=build, properties=properties, events=events
        )
        assert isinstance(manifest, DatasetInfo)
        version = DatasetVersion(
            repository=ref.repository,
            name=ref.name,
            namespace=ref.namespace,
            version=transaction.version,
            manifest=manifest,
            properties=properties,
        )
        return UploadDatasetResult(dataset_version=version, report=report)
