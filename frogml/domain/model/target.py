"""What a download target already holds where the files of a version go."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from frogml.domain.errors import TargetConflictError
from frogml.domain.model.base import Value

__all__ = ["Found", "Presence", "conflict_error"]

_LISTED = 10  # conflicts named in one message; the error's ``paths`` holds them all


class Presence(Enum):
    """What stands at the place of one file of the version, in the target folder."""

    ABSENT = "absent"
    """Nothing: the file is downloaded."""
    SAME = "same"
    """A regular file with the version's bytes: it is kept."""
    DIFFERS = "differs"
    """Another file (other bytes, a symbolic link, a special file): replaced only when asked."""
    FILE_IN_THE_WAY = "a file is in the way"
    """A file where one of the file's folders goes: replaced only when asked."""
    EMPTY_FOLDER = "an empty folder is in the way"
    """An empty folder where the file goes: replaced only when asked."""
    FOLDER = "a folder is in the way"
    """A folder holding something where the file goes: never replaced (nothing is deleted
    that the version would not put back)."""

    @property
    def conflicts(self) -> bool:
        """True when the download would have to replace what the user has there."""
        return self not in (Presence.ABSENT, Presence.SAME)

    @property
    def replaceable(self) -> bool:
        """True when asking for it (``overwrite``) lets the download replace it."""
        return self is not Presence.FOLDER


class Found(Value, frozen=True):
    """What the target holds for one file: ``path`` (relative to the target) names what
    is there: the file's own path, or the folder of it that is a file. ``lands`` is the
    file the download would write, as the disk names it (a link to a folder in the
    target followed): equal for two paths that would be one file; empty when unknown."""

    presence: Presence
    path: str
    lands: str = ""


def conflict_error(
    target: str, what: str, conflicts: Sequence[tuple[str, Presence]], *, overwrite: bool
) -> TargetConflictError | None:
    """The refusal of a download of ``what`` into ``target``, or None when it may go on:
    with ``overwrite`` only a folder holding something stops it, without it any
    ``(path, presence)`` that conflicts does."""
    refused = [(p, why) for p, why in conflicts if why.conflicts]
    if overwrite:
        refused = [(p, why) for p, why in refused if not why.replaceable]
    if not refused:
        return None
    listed = ", ".join(f"{p} ({why.value})" for p, why in refused[:_LISTED])
    more = f" and {len(refused) - _LISTED} more" if len(refused) > _LISTED else ""
    if all(why.replaceable for _, why in refused):
        hint = "replace them with --force (API: overwrite=True), or choose another target"
    else:
        hint = (
            "move those folders away or choose another target; --force replaces files "
            "and empty folders, never a folder holding something"
        )
    return TargetConflictError(
        f"downloading {what} would replace {len(refused)} file(s) in {target!r}: "
        f"{listed}{more}; nothing was written",
        target=target,
        paths=tuple(p for p, _ in refused),
        hint=hint,
    )
