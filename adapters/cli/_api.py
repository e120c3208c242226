"""What the CLI needs from the library, as a Protocol the composition root fulfils.

The CLI is a driving adapter: it must not import ``frogml`` (the composition root)
nor other adapters, so the root injects a factory of objects shaped like this.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from domain.model.entity import DatasetVersion, ModelVersion, VersionSummary
from domain.model.metadata import SerializationMetadata
from domain.ports.progress import TransferEvents
from domain.services._fetch import DownloadResult
from domain.services.upload_dataset import UploadDatasetResult
from domain.services.upload_model import UploadModelResult

__all__ = ["CliServices", "StorageApi"]


class StorageApi(Protocol):
    """The subset of ``frogml.FrogMLStorage`` the CLI calls."""

    location: str

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
        progress: TransferEvents = ...,
    ) -> UploadModelResult: ...

    def upload_dataset_version_with_report(
        self,
        repository: str,
        dataset_name: str,
        source_path: str,
        namespace: str | None = None,
        version: str | None = None,
        properties: Mapping[str, str] | None = None,
        *,
        progress: TransferEvents = ...,
    ) -> UploadDatasetResult: ...

    def download_model_version(
        self,
        repository: str,
        model_name: str,
        version: str,
        target_path: str,
        namespace: str | None = None,
        *,
        progress: TransferEvents = ...,
    ) -> DownloadResult: ...

    def download_dataset_version(
        self,
        repository: str,
        dataset_name: str,
        version: str,
        target_path: str,
        namespace: str | None = None,
        *,
        progress: TransferEvents = ...,
    ) -> DownloadResult: ...

    def get_model_info(
        self, repository: str, model_name: str, version: str, namespace: str | None = None
    ) -> ModelVersion: ...

    def get_dataset_info(
        self, repository: str, dataset_name: str, version: str, namespace: str | None = None
    ) -> DatasetVersion: ...

    def list_model_versions(
        self, repository: str, model_name: str, namespace: str | None = None
    ) -> list[VersionSummary]: ...

    def list_dataset_versions(
        self, repository: str, dataset_name: str, namespace: str | None = None
    ) -> list[VersionSummary]: ...


@dataclass(frozen=True)
class CliServices:
    """Everything the composition root injects into the CLI."""

    make_storage: Callable[[], StorageApi]
    version: str
