"""Use case: read a published version's manifest and properties."""

from __future__ import annotations

from frogml.domain.errors import ProtocolError, ValidationError
from frogml.domain.model.entity import EntityRef, EntityVersion
from frogml.domain.model.manifest import Manifest
from frogml.domain.ports.artifact_store import ArtifactStore

__all__ = ["GetInfo"]


class GetInfo:
    """Describe one published version.

    Rules: the reference must name a version (ValidationError); a missing version is
    NotFoundError; a manifest of the wrong kind is a ProtocolError; the result is a
    ModelVersion for a model and a DatasetVersion for a dataset.
    """

    def __init__(self, *, store: ArtifactStore) -> None:
        self._store = store

    def __call__(self, ref: EntityRef) -> EntityVersion:
        manifest = self.manifest(ref)
        return EntityVersion.of(ref, manifest, self._store.read_properties(ref))

    def manifest(self, ref: EntityRef) -> Manifest:
        """The version's manifest alone (its properties are not read)."""
        if ref.version is None:
            raise ValidationError(f"{ref.describe()}: give a version", field="version")
        manifest = self._store.read_manifest(ref)
        if manifest.kind is not ref.kind:
            raise ProtocolError(f"{ref.describe()} has a manifest of another kind")
        return manifest
