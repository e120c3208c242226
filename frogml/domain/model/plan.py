"""What a transfer would do (``--dry-run``): built without moving a byte."""

from __future__ import annotations

from frogml.domain.model.base import Value
from frogml.domain.model.entity import EntityRef

__all__ = ["PlannedFile", "SkippedFile", "TransferPlan"]


class PlannedFile(Value, frozen=True):
    """One file of the plan; ``area`` is ``files``, ``dependencies`` or ``code``."""

    path: str
    size: int
    area: str = "files"


class SkippedFile(Value, frozen=True):
    """A file left out, and why (``ignored``, ``excluded``, ``not included``, ...)."""

    path: str
    reason: str


class TransferPlan(Value, frozen=True):
    """The files an upload or download would move, reuse, and leave out.

    ``reuse`` holds files the store already has (upload: deduplicated by checksum) or
    the target already holds with the right SHA-256 (download). ``reuse_known`` is false
    when the store cannot tell in advance which bytes it has.
    """

    ref: EntityRef
    direction: str
    transfer: tuple[PlannedFile, ...]
    reuse: tuple[PlannedFile, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    reuse_known: bool = True
    target_path: str | None = None

    @property
    def bytes_to_transfer(self) -> int:
        return sum(f.size for f in self.transfer)

    @property
    def bytes_reused(self) -> int:
        return sum(f.size for f in self.reuse)
