"""The ports: typed interfaces that adapters implement, one per module."""

from domain.ports.artifact_store import (
    Area,
    ArtifactStore,
    DownloadItem,
    StoredVersion,
    Transaction,
    UploadItem,
    UploadReport,
)
from domain.ports.clock import Clock
from domain.ports.credentials import Credentials, CredentialSource
from domain.ports.filesystem import FileSink, FileSystem, SourceFile
from domain.ports.progress import NULL_EVENTS, TransferEvents

__all__ = [
    "NULL_EVENTS",
    "Area",
    "ArtifactStore",
    "Clock",
    "CredentialSource",
    "Credentials",
    "DownloadItem",
    "FileSink",
    "FileSystem",
    "SourceFile",
    "StoredVersion",
    "Transaction",
    "TransferEvents",
    "UploadItem",
    "UploadReport",
]
