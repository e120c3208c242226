"""Domain values and the rules they keep."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frogml._lazy import lazy_names

if TYPE_CHECKING:  # the names the lazy table serves, as type checkers see them
    from frogml.domain.model.entity import (
        DatasetVersion,
        EntityRef,
        EntityVersion,
        ModelVersion,
        VersionSummary,
        default_version,
        format_created_date,
    )
    from frogml.domain.model.kind import Area, EntityKind
    from frogml.domain.model.manifest import Artifact, DatasetInfo, Manifest, ModelInfo
    from frogml.domain.model.metadata import SerializationMetadata

# Submodules load on first use: importing one port (or value) must not load them all.
_LAZY = {
    "Artifact": "frogml.domain.model.manifest",
    "DatasetInfo": "frogml.domain.model.manifest",
    "DatasetVersion": "frogml.domain.model.entity",
    "EntityKind": "frogml.domain.model.kind",
    "Area": "frogml.domain.model.kind",
    "EntityRef": "frogml.domain.model.entity",
    "EntityVersion": "frogml.domain.model.entity",
    "Manifest": "frogml.domain.model.manifest",
    "ModelInfo": "frogml.domain.model.manifest",
    "ModelVersion": "frogml.domain.model.entity",
    "SerializationMetadata": "frogml.domain.model.metadata",
    "VersionSummary": "frogml.domain.model.entity",
    "default_version": "frogml.domain.model.entity",
    "format_created_date": "frogml.domain.model.entity",
}


if not TYPE_CHECKING:  # type checkers see the names through the imports above
    __getattr__, __dir__ = lazy_names(__name__, _LAZY)


__all__ = [
    "Area",
    "Artifact",
    "DatasetInfo",
    "DatasetVersion",
    "EntityKind",
    "EntityRef",
    "EntityVersion",
    "Manifest",
    "ModelInfo",
    "ModelVersion",
    "SerializationMetadata",
    "VersionSummary",
    "default_version",
    "format_created_date",
]
