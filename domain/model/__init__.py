"""Domain values and the rules they keep."""

from domain.model.entity import (
    DatasetVersion,
    EntityKind,
    EntityRef,
    ModelVersion,
    VersionSummary,
    default_version,
    format_created_date,
)
from domain.model.manifest import Artifact, DatasetInfo, Manifest, ModelInfo
from domain.model.metadata import SerializationMetadata

__all__ = [
    "Artifact",
    "DatasetInfo",
    "DatasetVersion",
    "EntityKind",
    "EntityRef",
    "Manifest",
    "ModelInfo",
    "ModelVersion",
    "SerializationMetadata",
    "VersionSummary",
    "default_version",
    "format_created_date",
]
