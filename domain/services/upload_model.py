"""Use case: upload a model version."""

from __future__ import annotations

import msgspec

from domain.errors import ValidationError
from domain.model.base import Value
from domain.model.entity import EntityKind, EntityRef, ModelVersion
from domain.model.manifest import ModelInfo
from domain.model.metadata import SerializationMetadata
from domain.model.names import check_properties
from domain.ports.artifact_store import Area, ArtifactStore, UploadItem, UploadReport
from domain.ports.filesystem import FileSystem
from domain.ports.progress import NULL_EVENTS, TransferEvents
from domain.services._publish import artifact_of, publish

__all__ = ["UploadModel", "UploadModelRequest", "UploadModelResult"]


class UploadModelRequest(Value, frozen=True):
    """What to upload: a file or folder, its format, and optional extras."""

    repository: str
    name: str
    source_path: str
    model_format: SerializationMetadata
    namespace: str | None = None
    version: str | None = None
    properties: dict[str, str] = msgspec.field(default_factory=dict)
    dependency_paths: tuple[str, ...] = ()
    code_archive_path: str | None = None


class UploadModelResult(Value, frozen=True):
    """The published version and what the upload moved."""

    model_version: ModelVersion
    report: UploadReport


class UploadModel:
    """Publish a model version.

    Rules:
    - names, version and properties are checked before anything is read or sent;
    - the source is one file or a folder; the ignore list applies; an empty folder,
      a missing path, or a folder given as a dependency or code archive is refused
      before anything is sent;
    - dependency files must have distinct names;
    - the version is published only when every file is stored (all or nothing);
      publishing an existing version is refused (AlreadyExistsError).
    """

    def __init__(self, *, store: ArtifactStore, filesystem: FileSystem) -> None:
        self._store = store
        self._filesystem = filesystem

    def __call__(
        self, request: UploadModelRequest, events: TransferEvents = NULL_EVENTS
    ) -> UploadModelResult:
        ref = EntityRef(
            repository=request.repository,
            kind=EntityKind.MODEL,
            name=request.name,
            namespace=request.namespace,
            version=request.version,
        )
        properties = check_properties(request.properties)
        files = self._filesystem.scan(request.source_path)
        dependencies = [
            self._filesystem.single_file(path, role="dependency file")
            for path in request.dependency_paths
        ]
        names = [d.rel_path for d in dependencies]
        if len(set(names)) != len(names):
            raise ValidationError(
                "two dependency files have the same name", field="dependencies_files_paths"
            )
        code = (
            None
            if request.code_archive_path is None
            else self._filesystem.single_file(request.code_archive_path, role="code archive")
        )
        items = [UploadItem(area=Area.FILES, source=f) for f in files]
        items += [UploadItem(area=Area.DEPENDENCIES, source=d) for d in dependencies]
        if code is not None:
            items.append(UploadItem(area=Area.CODE, source=code))

        def build(created_date: str) -> ModelInfo:
            return ModelInfo(
                created_date=created_date,
                model_artifacts=tuple(artifact_of(f) for f in files),
                model_format=request.model_format,
                dependency_artifacts=tuple(artifact_of(d) for d in dependencies),
                code_artifact=None if code is None else artifact_of(code),
            )

        transaction, manifest, report = publish(
            self._store, ref, items, build_manifest=build, properties=properties, events=events
        )
        assert isinstance(manifest, ModelInfo)
        version = ModelVersion(
            repository=ref.repository,
            name=ref.name,
            namespace=ref.namespace,
            version=transaction.version,
            manifest=manifest,
            properties=properties,
        )
        return UploadModelResult(model_version=version, report=report)
