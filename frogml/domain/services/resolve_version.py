"""Use case: turn ``latest`` into the name of an entity's newest version."""

from __future__ import annotations

from frogml.domain.errors import NotFoundError
from frogml.domain.model.entity import EntityRef
from frogml.domain.model.versions import LATEST, newest_first
from frogml.domain.ports.artifact_store import ArtifactStore

__all__ = ["ResolveVersion"]


class ResolveVersion:
    """Name the version a reference means.

    Rules:
    - ``latest`` is the newest published version by creation time (ties: the greatest
      name), from the store's listing of the entity's versions, as ``versions`` lists
      them; an entity with no published version is NotFoundError;
    - any other version is taken as given (a missing one is reported when it is read);
    - a reference without a version is returned as it is.
    """

    def __init__(self, *, store: ArtifactStore) -> None:
        self._store = store

    def __call__(self, ref: EntityRef) -> EntityRef:
        if ref.version != LATEST:
            return ref
        listed = newest_first(self._store.list_versions(ref.unversioned()))
        if not listed:
            raise NotFoundError(
                f"{ref.unversioned().describe()} has no published version", what=ref.kind.value
            )
        return ref.with_version(listed[0].version)
