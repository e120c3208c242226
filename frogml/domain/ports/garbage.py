"""The garbage port: a store that keeps contents no version uses, and can drop them."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from frogml.domain.model.base import Value

__all__ = ["GarbageCollectable", "GarbageReport"]


class GarbageReport(Value, frozen=True):
    """What a clean-up freed (or, in a dry run, would free)."""

    location: str
    """Where the store is (the embedded store's folder)."""
    blobs: int = 0
    """Contents no published version and no upload in progress uses."""
    blob_bytes: int = 0
    stale_uploads: int = 0
    """Uploads abandoned for longer than a day (a crashed or killed process's)."""
    stale_bytes: int = 0
    dry_run: bool = False

    @property
    def bytes_freed(self) -> int:
        return self.blob_bytes + self.stale_bytes


@runtime_checkable
class GarbageCollectable(Protocol):
    """Optional: a store that can drop what no version needs (the embedded store)."""

    def collect_garbage(self, *, dry_run: bool = False) -> GarbageReport:
        """Remove contents no published version uses and uploads abandoned for longer
        than a day, never what an upload in progress needs; with ``dry_run``, only say."""
        ...
