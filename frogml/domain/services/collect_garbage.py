"""Use case: free what the embedded store keeps but no version needs."""

from __future__ import annotations

from frogml.domain.errors import ValidationError
from frogml.domain.ports.artifact_store import ArtifactStore
from frogml.domain.ports.garbage import GarbageCollectable, GarbageReport

__all__ = ["CollectGarbage"]


class CollectGarbage:
    """Clean a store of contents no version uses.

    Rules:
    - only a store that keeps such garbage (the embedded store) is cleaned; a server
      cleans itself, so asking is a ValidationError;
    - contents no published version uses are removed, and uploads abandoned for longer
      than a day, but never anything an upload in progress (in any process) needs;
    - a dry run removes nothing and reports what would be freed.
    """

    def __init__(self, *, store: ArtifactStore) -> None:
        self._store = store

    def __call__(self, *, dry_run: bool = False) -> GarbageReport:
        if not isinstance(self._store, GarbageCollectable):
            raise ValidationError(
                "only the embedded store keeps contents that no version uses; "
                f"{type(self._store).__name__} has nothing to clean",
                hint="a server cleans up after itself",
            )
        return self._store.collect_garbage(dry_run=dry_run)
