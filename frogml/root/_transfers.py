"""FrogMLStorage's request-level transfers: one use-case request in, its result out."""

from __future__ import annotations

from frogml.domain.ports.artifact_store import ArtifactStore
from frogml.domain.ports.filesystem import FileSystem
from frogml.domain.ports.progress import NULL_EVENTS, TransferEvents
from frogml.domain.services._fetch import DownloadResult
from frogml.domain.services.download_dataset import DownloadDataset, DownloadDatasetRequest
from frogml.domain.services.download_model import DownloadModel, DownloadModelRequest
from frogml.domain.services.upload_dataset import (
    UploadDataset,
    UploadDatasetRequest,
    UploadDatasetResult,
)
from frogml.domain.services.upload_model import UploadModel, UploadModelRequest, UploadModelResult

__all__ = ["Transfers"]


class Transfers:
    """Uploads and downloads taking the use cases' requests; mixed into FrogMLStorage."""

    _store: ArtifactStore
    _filesystem: FileSystem

    def upload_model(
        self, request: UploadModelRequest, *, progress: TransferEvents = NULL_EVENTS
    ) -> UploadModelResult:
        """Publish a model version; the result also tells what the upload moved."""
        return UploadModel(store=self._store, filesystem=self._filesystem)(request, progress)

    def upload_dataset(
        self, request: UploadDatasetRequest, *, progress: TransferEvents = NULL_EVENTS
    ) -> UploadDatasetResult:
        """Publish a dataset version; the result also tells what the upload moved."""
        return UploadDataset(store=self._store, filesystem=self._filesystem)(request, progress)

    def download_model(
        self, request: DownloadModelRequest, *, progress: TransferEvents = NULL_EVENTS
    ) -> DownloadResult:
        """Write a model version into ``request.target_path``, every byte verified."""
        return DownloadModel(store=self._store, filesystem=self._filesystem)(request, progress)

    def download_dataset(
        self, request: DownloadDatasetRequest, *, progress: TransferEvents = NULL_EVENTS
    ) -> DownloadResult:
        """Write a dataset version into ``request.target_path``, every byte verified."""
        return DownloadDataset(store=self._store, filesystem=self._filesystem)(request, progress)
