"""What the CLI needs from the library, as Protocols the composition root fulfils.

The CLI is a driving adapter: it must not import ``frogml`` (the composition root)
nor other adapters, so the root injects factories of objects shaped like these.
Domain types are imported for the type checker only, so that ``frogml --help`` loads
neither msgspec nor the use cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from frogml.domain.model.entity import DatasetVersion, ModelVersion, VersionSummary
    from frogml.domain.model.health import HealthCheck
    from frogml.domain.model.plan import TransferPlan
    from frogml.domain.ports.progress import TransferEvents
    from frogml.domain.services._fetch import DownloadResult
    from frogml.domain.services.download_dataset import DownloadDatasetRequest
    from frogml.domain.services.download_model import DownloadModelRequest
    from frogml.domain.services.list_entities import EntityListing
    from frogml.domain.services.upload_dataset import UploadDatasetRequest, UploadDatasetResult
    from frogml.domain.services.upload_model import UploadModelRequest, UploadModelResult

__all__ = ["CliServices", "StorageApi"]


class StorageApi(Protocol):
    """The subset of ``frogml.FrogMLStorage`` the CLI calls."""

    location: str

    def upload_model(
        self, request: UploadModelRequest, *, progress: TransferEvents = ...
    ) -> UploadModelResult: ...

    def upload_dataset(
        self, request: UploadDatasetRequest, *, progress: TransferEvents = ...
    ) -> UploadDatasetResult: ...

    def download_model(
        self, request: DownloadModelRequest, *, progress: TransferEvents = ...
    ) -> DownloadResult: ...

    def download_dataset(
        self, request: DownloadDatasetRequest, *, progress: TransferEvents = ...
    ) -> DownloadResult: ...

    def plan_upload(self, request: UploadModelRequest | UploadDatasetRequest) -> TransferPlan: ...

    def plan_download(
        self, request: DownloadModelRequest | DownloadDatasetRequest
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

    Factories read their settings from :func:`frogml.adapters.cli.current_env`, which adds
    what the global options (``--proxy``, ``--timeout``, ...) say to ``os.environ``.
    ``doctor`` runs the checks of ``frogml doctor`` (None: the command is not offered).
    """

    make_storage: Callable[[], StorageApi]
    version: str
    doctor: Callable[[], Sequence[HealthCheck]] | None = None
