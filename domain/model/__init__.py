"""Domain values and the rules they keep."""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Submodules load on first use: importing one port (or value) must not load them all.
_LAZY = {
    "Artifact": "domain.model.manifest",
    "DatasetInfo": "domain.model.manifest",
    "DatasetVersion": "domain.model.entity",
    "EntityKind": "domain.model.entity",
    "EntityRef": "domain.model.entity",
    "Manifest": "domain.model.manifest",
    "ModelInfo": "domain.model.manifest",
    "ModelVersion": "domain.model.entity",
    "SerializationMetadata": "domain.model.metadata",
    "VersionSummary": "domain.model.entity",
    "default_version": "domain.model.entity",
    "format_created_date": "domain.model.entity",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)


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
