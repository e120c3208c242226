"""The ports: typed interfaces that adapters implement, one per module."""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Submodules load on first use: importing one port (or value) must not load them all.
_LAZY = {
    "Area": "domain.ports.artifact_store",
    "ArtifactStore": "domain.ports.artifact_store",
    "BlobIndex": "domain.ports.artifact_store",
    "Clock": "domain.ports.clock",
    "CredentialSource": "domain.ports.credentials",
    "Credentials": "domain.ports.credentials",
    "DownloadItem": "domain.ports.artifact_store",
    "FileSink": "domain.ports.filesystem",
    "FileSystem": "domain.ports.filesystem",
    "NULL_EVENTS": "domain.ports.progress",
    "Selection": "domain.ports.filesystem",
    "SourceFile": "domain.ports.filesystem",
    "StoredVersion": "domain.ports.artifact_store",
    "Transaction": "domain.ports.artifact_store",
    "TransferEvents": "domain.ports.progress",
    "UploadItem": "domain.ports.artifact_store",
    "UploadReport": "domain.ports.artifact_store",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)


__all__ = [
    "NULL_EVENTS",
    "Area",
    "ArtifactStore",
    "BlobIndex",
    "Clock",
    "CredentialSource",
    "Credentials",
    "DownloadItem",
    "FileSink",
    "FileSystem",
    "Selection",
    "SourceFile",
    "StoredVersion",
    "Transaction",
    "TransferEvents",
    "UploadItem",
    "UploadReport",
]
