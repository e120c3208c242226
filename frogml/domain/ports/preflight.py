"""The preflight port: a store that can tell, changing nothing, whether an upload would
be accepted (what ``--dry-run`` checks before it says "would upload")."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from frogml.domain.model.entity import EntityRef

__all__ = ["UploadPreflight"]


@runtime_checkable
class UploadPreflight(Protocol):
    """Optional: a store that checks an upload of ``ref`` before any transaction begins."""

    def check_upload(self, ref: EntityRef) -> None:
        """Raise what starting the upload of ``ref`` would (rejected credentials, missing
        repository, a version already published, a store that cannot be written),
        changing nothing. A store checks what it can without writing."""
        ...
