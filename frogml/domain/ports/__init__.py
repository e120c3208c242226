"""The ports: typed interfaces that adapters implement, one per module."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frogml._lazy import lazy_names

if TYPE_CHECKING:  # the names the lazy table serves, as type checkers see them
    from frogml.domain.ports.artifact_store import (
        Area,
        ArtifactStore,
        BlobIndex,
        DownloadItem,
        Transaction,
        UploadItem,
        UploadReport,
    )
    from frogml.domain.ports.clock import Clock
    from frogml.domain.ports.credentials import Credentials, CredentialSource
    from frogml.domain.ports.filesystem import FileSink, FileSystem, Selection, SourceFile
    from frogml.domain.ports.forecast import BeginsAhead, DownloadForecast, UploadForecast
    from frogml.domain.ports.garbage import GarbageCollectable, GarbageReport
    from frogml.domain.ports.preflight import UploadPreflight
    from frogml.domain.ports.progress import NULL_EVENTS, TransferEvents

# Submodules load on first use: importing one port (or value) must not load them all.
_LAZY = {
    "Area": "frogml.domain.ports.artifact_store",
    "ArtifactStore": "frogml.domain.ports.artifact_store",
    "BlobIndex": "frogml.domain.ports.artifact_store",
    "Clock": "frogml.domain.ports.clock",
    "CredentialSource": "frogml.domain.ports.credentials",
    "Credentials": "frogml.domain.ports.credentials",
    "DownloadItem": "frogml.domain.ports.artifact_store",
    "FileSink": "frogml.domain.ports.filesystem",
    "FileSystem": "frogml.domain.ports.filesystem",
    "GarbageCollectable": "frogml.domain.ports.garbage",
    "GarbageReport": "frogml.domain.ports.garbage",
    "NULL_EVENTS": "frogml.domain.ports.progress",
    "Selection": "frogml.domain.ports.filesystem",
    "SourceFile": "frogml.domain.ports.filesystem",
    "Transaction": "frogml.domain.ports.artifact_store",
    "TransferEvents": "frogml.domain.ports.progress",
    "UploadItem": "frogml.domain.ports.artifact_store",
    "UploadForecast": "frogml.domain.ports.forecast",
    "DownloadForecast": "frogml.domain.ports.forecast",
    "BeginsAhead": "frogml.domain.ports.forecast",
    "UploadPreflight": "frogml.domain.ports.preflight",
    "UploadReport": "frogml.domain.ports.artifact_store",
}


if not TYPE_CHECKING:  # type checkers see the names through the imports above
    __getattr__, __dir__ = lazy_names(__name__, _LAZY)


__all__ = [
    "NULL_EVENTS",
    "Area",
    "ArtifactStore",
    "BeginsAhead",
    "BlobIndex",
    "Clock",
    "CredentialSource",
    "Credentials",
    "DownloadForecast",
    "DownloadItem",
    "FileSink",
    "FileSystem",
    "GarbageCollectable",
    "GarbageReport",
    "Selection",
    "SourceFile",
    "Transaction",
    "TransferEvents",
    "UploadForecast",
    "UploadItem",
    "UploadPreflight",
    "UploadReport",
]
