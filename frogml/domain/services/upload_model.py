"""Use case: upload a model version."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from frogml.domain.errors import ValidationError
from frogml.domain.model.base import Value
from frogml.domain.model.entity import EntityKind, EntityRef, ModelVersion
from frogml.domain.model.manifest import ModelInfo
from frogml.domain.model.metadata import SerializationMetadata
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
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


class UploadModelResult(Value, frozen=True):
    """The published version and what the upload moved."""

    model_version: ModelVersion
    report: UploadReport


@dataclass(frozen=True)
class _Prepared:
    ref: EntityRef
    properties: dict[str, str]
    files: list[SourceFile]
    dependencies: list[SourceFile]
    code: SourceFile | None
    skipped: list[SkippedFile]

    @property
    def items(self) -> list[UploadItem]:
        items = [UploadItem(area=Area.FILES, source=f) for f in self.files]
        items += [UploadItem(area=Area.DEPENDENCIES, source=d) for d in self.dependencies]
        if self.code is not None:
            items.append(UploadItem(area=Area.CODE, source=self.code))
        return items


class UploadModel:
    """Publish a model version.

    Rules:
    - names, version and properties are checked before anything is read or sent;
    - the source is one file or a folder; the ignore list, the folder's
      ``.frogmlignore`` and the ``include``/``exclude`` patterns (gitignore syntax)
      choose its files; an empty selection, a missing path, or a folder given as a
      dependency or code archive is refused before anything is sent;
    - dependency files must have distinct names;
    - the version is published only when every file is stored (all or nothing);
      publishing an existing version is refused (AlreadyExistsError);
    - :meth:`plan` reports what would be sent, deduplicated and left out, sending nothing.
    """

    def __init__(
        self, *, store: ArtifactStore, filesystem: FileSystem, blobs: BlobIndex | None = None
    ) -> None:
        self._store = store
        self._filesystem = filesystem
        self._blobs = blobs

    def plan(self, request: UploadModelRequest) -> TransferPlan:
        """What :meth:`__call__` would send; ``reuse_known`` is false without a BlobIndex."""
        prepared = self._prepare(request)
        return plan_upload(prepared.ref, prepared.items, prepared.skipped, self._blobs)

    def _prepare(self, request: UploadModelRequest) -> _Prepared:
        ref = EntityRef(
            repository=request.repository,
            kind=EntityKind.MODEL,
            name=request.name,
            namespace=request.namespace,
            version=request.version,
        )
        properties = check_properties(request.properties)
        rules = PathRules(include=request.include, exclude=request.exclude)
        selection = self._filesystem.select(request.source_path, rules)
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
        return _Prepared(
            ref=ref,
            properties=properties,
            files=selection.files,
            dependencies=dependencies,
            code=code,
            skipped=selection.skipped,
        )

    def __call__(
        self, request: UploadModelRequest, events: TransferEvents = NULL_EVENTS
    ) -> UploadModelResult:
        prepared = self._prepare(request)
        files, dependencies, code = prepared.files, prepared.dependencies, prepared.code

        def build(created_date: str) -> ModelInfo:
            return ModelInfo(
                created_date=created_date,
                model_artifacts=tuple(artifact_of(f) for f in files),
                model_format=request.model_format,
                dependency_artifacts=tuple(artifact_of(d) for d in dependencies),
                code_artifact=None if code is None else artifact_of(code),
            )

        ref, properties = prepared.ref, prepared.properties
        transaction, manifest, report = publish(
            self._store,
            ref,
            prepared.items,
            build_manifest=build,
            properties=properties,
            events=events,
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
