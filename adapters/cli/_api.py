"""What the CLI needs from the library, as Protocols the composition root fulfils.

The CLI is a driving adapter: it must not import ``frogml`` (the composition root)
nor other adapters, so the root injects factories of objects shaped like these.
Domain types are imported for the type checker only, so that ``frogml --help`` loads
neither msgspec nor the use cases.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from domain.model.entity import DatasetVersion, ModelVersion, VersionSummary
    from domain.model.health import HealthCheck
    from domain.model.metadata import SerializationMetadata
    from domain.model.plan import TransferPlan
    from domain.ports.progress import TransferEvents
    from domain.services._fetch import DownloadResult
    from domain.services.list_entities import EntityListing
    from domain.services.upload_dataset import UploadDatasetResult
    from domain.services.upload_model import UploadModelResult

__all__ = ["CliServices", "StorageApi"]

Patterns = Sequence[str] | None


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
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> UploadModelResult: ...

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
    ) -> TransferPlan: ...

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
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> UploadDatasetResult: ...

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
    ) -> TransferPlan: ...

    def download_model_version(
        self,
        repository: str,
        model_name: str,
        version: str,
        target_path: str,
        namespace: str | None = None,
        *,
        progress: TransferEvents = ...,
        include: Patterns = None,
        exclude: Patterns = None,
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
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> DownloadResult: ...

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
    ) -> TransferPlan: ...

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
    ) -> TransferPlan: ...

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

    def list_models(self, repository: str) -> list[EntityListing]: ...

    def list_datasets(self, repository: str) -> list[EntityListing]: ...


@dataclass(frozen=True)
class CliServices:
    """Everything the composition root injects into the CLI.

    Factories read their settings from :func:`adapters.cli.current_env`, which adds
    what the global options (``--proxy``, ``--timeout``, ...) say to ``os.environ``.
    ``doctor`` runs the checks of ``frogml doctor`` (None: the command is not offered).
    """

    make_storage: Callable[[], StorageApi]
    version: str
    doctor: Callable[[], Sequence[HealthCheck]] | None = None
