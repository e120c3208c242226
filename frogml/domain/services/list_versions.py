"""Use case: list the published versions of a model or dataset."""

from __future__ import annotations

from frogml.domain.model.entity import EntityRef, VersionSummary
from frogml.domain.model.versions import newest_first
from frogml.domain.ports.artifact_store import ArtifactStore

__all__ = ["ListVersions"]


class ListVersions:
    """List versions, newest first.

    Rules: ordered by creation time, newest first, ties broken by version name
    (descending); an entity with no published version is NotFoundError.
    """

    def __init__(self, *, store: ArtifactStore) -> None:
        self._store = store

    def __call__(self, ref: EntityRef) -> list[VersionSummary]:
        return newest_first(self._store.list_versions(ref.unversioned()))
