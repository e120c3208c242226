"""FrogMLStorage's reads of published versions: manifests and version lists."""

from __future__ import annotations

from frogml.domain.model.entity import (
    DatasetVersion,
    EntityKind,
    EntityRef,
    ModelVersion,
    VersionSummary,
)
from frogml.domain.ports.artifact_store import ArtifactStore
from frogml.domain.services.get_info import GetInfo
from frogml.domain.services.list_versions import ListVersions

__all__ = ["Reading"]


class Reading:
    """Methods that read what is published; mixed into FrogMLStorage."""

    _store: ArtifactStore

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
