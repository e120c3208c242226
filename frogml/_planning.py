"""FrogMLStorage's dry runs (``plan_*``) and listings (``list_models``/``list_datasets``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.model.entity import EntityKind
from domain.model.metadata import SerializationMetadata
from domain.model.plan import TransferPlan
from domain.ports.artifact_store import ArtifactStore, BlobIndex
from domain.ports.filesystem import FileSystem
from domain.services.download_dataset import DownloadDataset
from domain.services.download_model import DownloadModel
from domain.services.list_entities import EntityListing, ListEntities
from domain.services.upload_dataset import UploadDataset
from domain.services.upload_model import UploadModel
from frogml._requests import (
    dataset_download_request,
    dataset_upload_request,
    model_download_request,
    model_upload_request,
)

__all__ = ["Planning"]

Patterns = str | Sequence[str] | None


class Planning:
    """Methods that look without moving anything; mixed into FrogMLStorage."""

    _store: ArtifactStore
    _filesystem: FileSystem

    @property
    def _blobs(self) -> BlobIndex | None:
        return self._store if isinstance(self._store, BlobIndex) else None

    def plan_model_upload(
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
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> TransferPlan:
        """What :meth:`upload_model_version` would send, deduplicate and leave out."""
        request = model_upload_request(
            repository,
            model_name,
            model_path,
            model_type,
            namespace,
            version,
            properties,
            dependencies_files_paths,
            code_archive_file_path,
            include=include,
            exclude=exclude,
        )
        use_case = UploadModel(store=self._store, filesystem=self._filesystem, blobs=self._blobs)
        return use_case.plan(request)

    def plan_dataset_upload(
        self,
        repository: str,
        dataset_name: str,
        source_path: str,
        namespace: str | None = None,
        version: str | None = None,
        properties: Mapping[str, str] | None = None,
        *,
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> TransferPlan:
        """What :meth:`upload_dataset_version` would send, deduplicate and leave out."""
        request = dataset_upload_request(
            repository,
            dataset_name,
            source_path,
            namespace,
            version,
            properties,
            include=include,
            exclude=exclude,
        )
        use_case = UploadDataset(store=self._store, filesystem=self._filesystem, blobs=self._blobs)
        return use_case.plan(request)

    def plan_model_download(
        self,
        repository: str,
        model_name: str,
        version: str,
        target_path: str,
        namespace: str | None = None,
        *,
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> TransferPlan:
        """What :meth:`download_model_version` would fetch, keep and leave out."""
        request = model_download_request(
            repository,
            model_name,
            version,
            target_path,
            namespace,
            include=include,
            exclude=exclude,
        )
        return DownloadModel(store=self._store, filesystem=self._filesystem).plan(request)

    def plan_dataset_download(
        self,
        repository: str,
        dataset_name: str,
        version: str,
        target_path: str,
        namespace: str | None = None,
        *,
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> TransferPlan:
        """What :meth:`download_dataset_version` would fetch, keep and leave out."""
        request = dataset_download_request(
            repository,
            dataset_name,
            version,
            target_path,
            namespace,
            include=include,
            exclude=exclude,
        )
        return DownloadDataset(store=self._store, filesystem=self._filesystem).plan(request)

    def list_models(self, repository: str) -> list[EntityListing]:
        """The models of ``repository`` that have a published version, sorted."""
        return ListEntities(store=self._store)(repository, EntityKind.MODEL)

    def list_datasets(self, repository: str) -> list[EntityListing]:
        """The datasets of ``repository`` that have a published version, sorted."""
        return ListEntities(store=self._store)(repository, EntityKind.DATASET)
