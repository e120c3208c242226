"""Use case: list the models or datasets of a repository."""

from __future__ import annotations

from frogml.domain.model.base import Value
from frogml.domain.model.entity import EntityKind
from frogml.domain.model.names import check_name
from frogml.domain.ports.artifact_store import ArtifactStore

__all__ = ["EntityListing", "ListEntities"]


class EntityListing(Value, frozen=True):
    """One entity of a listing: its name and optional namespace."""

    name: str
    namespace: str | None = None

    @classmethod
    def of(cls, path: str) -> EntityListing:
        namespace, _, name = path.rpartition("/")
        return cls(name=name, namespace=namespace or None)

    @property
    def path(self) -> str:
        return self.name if self.namespace is None else f"{self.namespace}/{self.name}"


class ListEntities:
    """List the models (or datasets) of a repository that have a published version.

    Rules: the repository name is checked first; a missing repository is NotFoundError;
    an empty one lists nothing; entities are sorted by namespace (none first), then name.
    """

    def __init__(self, *, store: ArtifactStore) -> None:
        self._store = store

    def __call__(self, repository: str, kind: EntityKind) -> list[EntityListing]:
        check_name(repository, field="repository")
        found = [
            EntityListing.of(path) for path in set(self._store.list_entities(repository, kind))
        ]
        return sorted(found, key=lambda e: (e.namespace is not None, e.namespace or "", e.name))
