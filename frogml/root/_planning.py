"""FrogMLStorage's dry runs (``plan_*``) and listings (``list_models``/``list_datasets``)."""

from __future__ import annotations

from frogml.domain.model.entity import EntityKind
from frogml.domain.model.plan import TransferPlan
from frogml.domain.ports.artifact_store import ArtifactStore, BlobIndex
from frogml.domain.ports.filesystem import FileSystem
from frogml.domain.services.download_dataset import DownloadDataset, DownloadDatasetRequest
from frogml.domain.services.download_model import DownloadModel, DownloadModelRequest
from frogml.domain.services.list_entities import EntityListing, ListEntities
from frogml.domain.services.upload_dataset import UploadDataset, UploadDatasetRequest
from frogml.domain.services.upload_model import UploadModel, UploadModelRequest

__all__ = ["Planning"]


class Planning:
    """Methods that look without moving anything; mixed into FrogMLStorage."""

    _store: ArtifactStore
    _filesystem: FileSystem

    @property
    def _blobs(self) -> BlobIndex | None:
        return self._store if isinstance(self._store, BlobIndex) else None

    def plan_upload(self, request: UploadModelRequest | UploadDatasetRequest) -> TransferPlan:
        """What :meth:`upload_model`/:meth:`upload_dataset` would send, deduplicate and
        leave out."""
        store, filesystem, blobs = self._store, self._filesystem, self._blobs
        if isinstance(request, UploadModelRequest):
            return UploadModel(store=store, filesystem=filesystem, blobs=blobs).plan(request)
        return UploadDataset(store=store, filesystem=filesystem, blobs=blobs).plan(request)

    def plan_download(self, request: DownloadModelRequest | DownloadDatasetRequest) -> TransferPlan:
        """What :meth:`download_model`/:meth:`download_dataset` would fetch, keep and
        leave out."""
        if isinstance(request, DownloadModelRequest):
            return DownloadModel(store=self._store, filesystem=self._filesystem).plan(request)
        return DownloadDataset(store=self._store, filesystem=self._filesystem).plan(request)

    def list_models(self, repository: str) -> list[EntityListing]:
        """The models of ``repository`` that have a published version, sorted."""
        return ListEntities(store=self._store)(repository, EntityKind.MODEL)

    def list_datasets(self, repository: str) -> list[EntityListing]:
        """The datasets of ``repository`` that have a published version, sorted."""
        return ListEntities(store=self._store)(repository, EntityKind.DATASET)
