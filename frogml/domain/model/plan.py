"""What a transfer would do (``--dry-run``): built without moving a byte."""

from __future__ import annotations

from frogml.domain.errors import TargetConflictError
from frogml.domain.model.base import Value
from frogml.domain.model.entity import EntityRef
from frogml.domain.model.target import Presence, conflict_error

__all__ = ["PlannedFile", "SkippedFile", "TransferPlan"]


class PlannedFile(Value, frozen=True):
    """One file of the plan; ``area`` is ``files``, ``dependencies`` or ``code``.

    ``link`` (uploads) is the real file a symbolic link on the way leads to. ``conflict``
    (downloads) says what the target holds in the file's place instead of its bytes
    (``differs``, ``a file is in the way``, ...): replaced only with ``overwrite``.
    """

    path: str
    size: int
    area: str = "files"
    link: str | None = None
    conflict: Presence | None = None


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

    @property
    def conflicts(self) -> tuple[PlannedFile, ...]:
        """Files to transfer whose place the target holds with something else."""
        return tuple(f for f in self.transfer if f.conflict is not None)

    def refusal(self, *, overwrite: bool) -> TargetConflictError | None:
        """The error the download of this plan raises before writing anything (its
        conflicts; with ``overwrite``, those it may not replace), or None."""
        conflicts = [(f.path, f.conflict) for f in self.transfer if f.conflict is not None]
        what = self.ref.describe()
        return conflict_error(self.target_path or ".", what, conflicts, overwrite=overwrite)
