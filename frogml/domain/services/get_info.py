"""Use case: read a published version's manifest and properties."""

from __future__ import annotations

from frogml.domain.errors import ProtocolError
from frogml.domain.model.entity import DatasetVersion, EntityRef, ModelVersion
from frogml.domain.model.manifest import DatasetInfo, ModelInfo
from frogml.domain.ports.artifact_store import ArtifactStore

__all__ = ["GetInfo"]


class GetInfo:
    """Describe one published version.

    Rules: the reference must name a version; a missing version is NotFoundError; a
    manifest of the wrong kind is a ProtocolError.
    """

    def __init__(self, *, store: ArtifactStore) -> None:
        self._store = store

    def __call__(self, ref: EntityRef) -> ModelVersion | DatasetVersion:
        if ref.version is None:
            raise ValueError("GetInfo needs a reference with a version")
        stored = self._store.read_version(ref)
        manifest = stored.manifest
        common = {
            "repository": ref.repository,
            "name": ref.name,
            "namespace": ref.namespace,
            "version": ref.version,
            "properties": dict(stored.properties),
        }
        if isinstance(manifest, ModelInfo) and ref.kind.value == "model":
            return ModelVersion(manifest=manifest, **common)  # type: ignore[arg-type]
        if isinstance(manifest, DatasetInfo) and ref.kind.value == "dataset":
            return DatasetVersion(manifest=manifest, **common)  # type: ignore[arg-type]
        raise ProtocolError(f"{ref.describe()} has a manifest of another kind")
