"""FrogMLStorage: the library's front door, with the signatures of JFrog's client."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.model.entity import DatasetVersion, EntityKind, EntityRef, ModelVersion, VersionSummary
from domain.model.metadata import SerializationMetadata
from domain.ports.artifact_store import ArtifactStore
from domain.ports.clock import Clock
from domain.ports.filesystem import FileSystem
from domain.ports.progress import NULL_EVENTS, TransferEvents
from domain.services._fetch import DownloadResult
from domain.services.download_dataset import DownloadDataset, DownloadDatasetRequest
from domain.services.download_model import DownloadModel, DownloadModelRequest
from domain.services.get_info import GetInfo
from domain.services.list_versions import ListVersions
from domain.services.upload_dataset import (
    UploadDataset,
    UploadDatasetRequest,
    UploadDatasetResult,
)
from domain.services.upload_model import UploadModel, UploadModelRequest, UploadModelResult
from frogml._auth import AuthConfig
from frogml._bootstrap import bootstrap

__all__ = ["FrogMLStorage"]


def _path(value: object, field: str) -> str:
    import os

    if not isinstance(value, (str, os.PathLike)):
        from domain.errors import ValidationError

        raise ValidationError(f"{field} must be a path, got {type(value).__name__}", field=field)
    return os.fspath(value)


class FrogMLStorage:
    """Upload and download model and dataset versions.

    With no argument it uses, in order: ``JF_URL``/``JF_ACCESS_TOKEN``, the server saved
    by ``frogml login``, else the embedded local store. Every adapter can be replaced
    (``store=``, ``filesystem=``, ``clock=``), e.g. with ``adapters.memory`` in tests.
    """

    def __init__(
        self,
        login_config: AuthConfig | None = None,
        *,
        store: ArtifactStore | None = None,
        filesystem: FileSystem | None = None,
        clock: Clock | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        explicit = None if login_config is None else login_config.to_credentials()
        parts = bootstrap(explicit, env=env, store=store, filesystem=filesystem, clock=clock)
        self._store = parts.store
        self._filesystem = parts.filesystem
        self.location = parts.location
        self.credentials = parts.credentials

    def __repr__(self) -> str:
        return f"FrogMLStorage({self.location!r})"

    def upload_model_version_with_report(
        self,
        repository: str,
        model_name: str,
        model_path: str,
        model_type: SerializationMetadata | Mapping[str, Any],
        namespace: str | None = None,
        version: str | None = None,
        properties: Mapping[str, str] | None = None,
        dependencies_files_paths: Sequence[str] | None = None,
        code_archive_file_path: str | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
    ) -> UploadModelResult:
        """Like :meth:`upload_model_version`, also returning what the upload moved."""
        if isinstance(dependencies_files_paths, str):
            dependencies_files_paths = [dependencies_files_paths]
        request = UploadModelRequest(
            repository=repository,
            name=model_name,
            source_path=_path(model_path, "model_path"),
            model_format=SerializationMetadata.coerce(model_type),
            namespace=namespace,
            version=version,
            properties=dict(properties or {}),
            dependency_paths=tuple(
                _path(p, "dependencies_files_paths") for p in dependencies_files_paths or ()
            ),
            code_archive_path=None
            if code_archive_file_path is None
            else _path(code_archive_file_path, "code_archive_file_path"),
        )
        return UploadModel(store=self._store, filesystem=self._filesystem)(request, progress)

    def upload_model_version(
        self,
        repository: str,
        model_name: str,
        model_path: str,
        model_type: SerializationMetadata | Mapping[str, Any],
        namespace: str | None = None,
        version: str | None = None,
        properties: Mapping[str, str] | None = None,
        dependencies_files_paths: Sequence[str] | None = None,
        code_archive_file_path: str | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
    ) -> ModelVersion:
        """Publish ``model_path`` (a file or folder) as a new, immutable model version."""
        return self.upload_model_version_with_report(
            repository,
            model_name,
            model_path,
            model_type,
            namespace,
            version,
            properties,
            dependencies_files_paths,
            code_archive_file_path,
            progress=progress,
        ).model_version

    def download_model_version(
        self,
        repository: str,
        model_name: str,
        version: str,
        target_path: str,
        namespace: str | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
    ) -> DownloadResult:
        """Write a model version into ``target_path``, every byte verified."""
        request = DownloadModelRequest(
            repository=repository,
            name=model_name,
            version=version,
            target_path=_path(target_path, "target_path"),
            namespace=namespace,
        )
        return DownloadModel(store=self._store, filesystem=self._filesystem)(request, progress)

    def upload_dataset_version_with_report(
        self,
        repository: str,
        dataset_name: str,
        source_path: str,
        namespace: str | None = None,
        version: str | None = None,
        properties: Mapping[str, str] | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
    ) -> UploadDatasetResult:
        """Like :meth:`upload_dataset_version`, also returning what the upload moved."""
        request = UploadDatasetRequest(
            repository=repository,
            name=dataset_name,
            source_path=_path(source_path, "source_path"),
            namespace=namespace,
            version=version,
            properties=dict(properties or {}),
        )
        return UploadDataset(store=self._store, filesystem=self._filesystem)(request, progress)

    def upload_dataset_version(
        self,
        repository: str,
        dataset_name: str,
        source_path: str,
        namespace: str | None = None,
        version: str | None = None,
        properties: Mapping[str, str] | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
    ) -> DatasetVersion:
        """Publish ``source_path`` (a file or folder) as a new, immutable dataset version."""
        return self.upload_dataset_version_with_report(
            repository,
            dataset_name,
            source_path,
            namespace,
            version,
            properties,
            progress=progress,
        ).dataset_version

    def download_dataset_version(
        self,
        repository: str,
        dataset_name: str,
        version: str,
        target_path: str,
        namespace: str | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
    ) -> DownloadResult:
        """Write a dataset version into ``target_path``, every byte verified."""
        request = DownloadDatasetRequest(
            repository=repository,
            name=dataset_name,
            version=version,
            target_path=_path(target_path, "target_path"),
            namespace=namespace,
        )
        return DownloadDataset(store=self._store, filesystem=self._filesystem)(request, progress)

    def get_model_info(
        self, repository: str, model_name: str, version: str, namespace: str | None = None
    ) -> ModelVersion:
        """The manifest and properties of a published model version."""
        ref = EntityRef(
            repository=repository,
            kind=EntityKind.MODEL,
            name=model_name,
            namespace=namespace,
            version=version,
        )
        found = GetInfo(store=self._store)(ref)
        assert isinstance(found, ModelVersion)
        return found

    def get_dataset_info(
        self, repository: str, dataset_name: str, version: str, namespace: str | None = None
    ) -> DatasetVersion:
        """The manifest and properties of a published dataset version."""
        ref = EntityRef(
            repository=repository,
            kind=EntityKind.DATASET,
            name=dataset_name,
            namespace=namespace,
            version=version,
        )
        found = GetInfo(store=self._store)(ref)
        assert isinstance(found, DatasetVersion)
        return found

    def list_model_versions(
        self, repository: str, model_name: str, namespace: str | None = None
    ) -> list[VersionSummary]:
        """Published versions of a model, newest first."""
        ref = EntityRef(
            repository=repository, kind=EntityKind.MODEL, name=model_name, namespace=namespace
        )
        return ListVersions(store=self._store)(ref)

    def list_dataset_versions(
        self, repository: str, dataset_name: str, namespace: str | None = None
    ) -> list[VersionSummary]:
        """Published versions of a dataset, newest first."""
        ref = EntityRef(
            repository=repository, kind=EntityKind.DATASET, name=dataset_name, namespace=namespace
        )
        return ListVersions(store=self._store)(ref)
