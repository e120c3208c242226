"""What a model is and what a dataset is, stated once: their kinds and areas.

A model version holds its files, dependency files and at most one code archive, and is
described by a SerializationMetadata; a dataset version holds files only. Every rule
that differs between the two reads it from here instead of testing the kind.
"""

from __future__ import annotations

import enum

__all__ = ["Area", "EntityKind"]


class Area(enum.Enum):
    """Which part of a version a file belongs to."""

    FILES = "files"
    DEPENDENCIES = "dependencies"
    CODE = "code"

    @property
    def local_folder(self) -> str | None:
        """The folder a download puts this area's files in (None: the target itself)."""
        return None if self is Area.FILES else self.value

    def local_path(self, artifact_path: str) -> str:
        """Where a file of this area lands, relative to a download's target."""
        folder = self.local_folder
        return artifact_path if folder is None else f"{folder}/{artifact_path}"


class EntityKind(enum.Enum):
    """What an entity is; the value is the protocol's ``{type}``."""

    MODEL = "model"
    DATASET = "dataset"

    @property
    def folder(self) -> str:
        """The top folder of this kind in a repository (``models`` or ``datasets``)."""
        return f"{self.value}s"

    @property
    def manifest_file(self) -> str:
        """The name of the manifest written beside a version's files."""
        return f"{self.value}-info.json"

    @property
    def areas(self) -> tuple[Area, ...]:
        """The areas a version of this kind may hold files in."""
        return _AREAS[self]

    @property
    def has_format(self) -> bool:
        """True when a version records how it was serialized (SerializationMetadata)."""
        return self is EntityKind.MODEL


_AREAS = {
    EntityKind.MODEL: (Area.FILES, Area.DEPENDENCIES, Area.CODE),
    EntityKind.DATASET: (Area.FILES,),
}
