"""Use case: list the machine-learning repositories of the store."""

from __future__ import annotations

from frogml.domain.model.repository import MACHINE_LEARNING, RepositoryListing
from frogml.domain.ports.artifact_store import ArtifactStore

__all__ = ["ListRepositories"]


class ListRepositories:
    """List the repositories that can hold models and datasets.

    Rules: only repositories of the machine-learning package type (whatever the case
    the store writes it in) are listed, each once, sorted by key; a store with none
    lists nothing.
    """

    def __init__(self, *, store: ArtifactStore) -> None:
        self._store = store

    def __call__(self) -> list[RepositoryListing]:
        found = {
            repo.key: repo
            for repo in self._store.list_repositories()
            if repo.package_type.lower() == MACHINE_LEARNING
        }
        return [found[key] for key in sorted(found)]
