"""Use case: upload a dataset version."""

from __future__ import annotations

import msgspec

from domain.model.base import Value
from domain.model.entity import DatasetVersion, EntityKind, EntityRef
from domain.model.manifest import DatasetInfo
from domain.model.names import check_properties
from domain.ports.artifact_store import Area, ArtifactStore, UploadItem, UploadReport
from domain.ports.filesystem import FileSystem
from domain.ports.progress import NULL_EVENTS, TransferEvents
from domain.services._publish import artifact_of, publish

__all__ = ["UploadDataset", "UploadDatasetRequest", "UploadDatasetResult"]


class UploadDatasetRequest(Value, frozen=True):
    """What to upload: a file or a folder."""

    repository: str
    name: str
    source_path: str
    namespace: str | None = None
    version: str | None = None
    properties: dict[str, str] = msgspec.field(default_factory=dict)


class UploadDatasetResult(Value, frozen=True):
    """The published version and what the upload moved."""

    dataset_version: DatasetVersion
    report: UploadReport


class UploadDataset:
    """Publish a dataset version.

    Rules: names, version and properties are checked first; the source is one file or a
    folder, minus the ignore list, and not empty; the version is published only when
    every file is stored; an existing version is never replaced.
    """

    def __init__(self, *, store: ArtifactStore, filesystem: FileSystem) -> None:
        self._store = store
        self._filesystem = filesystem

    def __call__(
        self, request: UploadDatasetRequest, events: TransferEvents = NULL_EVENTS
    ) -> UploadDatasetResult:
        ref = EntityRef(
            repository=request.repository,
            kind=EntityKind.DATASET,
            name=request.name,
            namespace=request.namespace,
            version=request.version,
        )
        properties = check_properties(request.properties)
        files = self._filesystem.scan(request.source_path)
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
