"""The artifact store port: where versions are published and read back.

Implemented by the Artifactory adapter, the embedded local store and the in-memory
store. Streams, parallelism, retries and caches are the adapter's business; the use
cases decide what to transfer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from frogml.domain.model.base import Value
from frogml.domain.model.entity import EntityKind, EntityRef, VersionSummary
from frogml.domain.model.kind import Area
from frogml.domain.model.manifest import Artifact, Manifest
from frogml.domain.model.repository import RepositoryListing
from frogml.domain.ports.filesystem import FileSink, SourceFile
from frogml.domain.ports.progress import TransferEvents

__all__ = [
    "Area",
    "ArtifactStore",
    "BlobIndex",
    "DownloadItem",
    "SinkOpener",
    "Transaction",
    "UploadItem",
    "UploadReport",
]


class Transaction(Value, frozen=True):
    """An open upload of one version: nothing is visible until it is committed."""

    ref: EntityRef
    transaction_id: str
    started_at: datetime

    @property
    def version(self) -> str:
        assert self.ref.version is not None
        return self.ref.version


@dataclass(frozen=True, slots=True)
class UploadItem:
    """One file to store in a transaction."""

    area: Area
    source: SourceFile


SinkOpener = Callable[["DownloadItem"], FileSink]
"""Opens the sink of a download item, resuming what an earlier attempt left."""


@dataclass(frozen=True, slots=True)
class DownloadItem:
    """One artifact of a published version, where it lands, and how to open its sink.

    A store opens the sink when the file's transfer starts and closes it when that
    transfer ends (:meth:`sink`), so the files held open follow the store's concurrency,
    never the number of files in the version. ``opener`` is shared by the items of a
    download (an item costs its fields alone: versions hold 100,000s of files).
    """

    area: Area
    artifact: Artifact
    rel_path: str
    """Where the file lands, relative to the target folder (for progress and messages)."""
    opener: SinkOpener

    @contextmanager
    def sink(self) -> Iterator[FileSink]:
        """The open sink of this file for one transfer, closed when the block ends."""
        sink = self.opener(self)
        try:
            yield sink
        finally:
            sink.close()


class UploadReport(Value, frozen=True):
    """What an upload moved: files whose bytes were sent, and files the store already had."""

    files_sent: int = 0
    bytes_sent: int = 0
    files_deduplicated: int = 0
    bytes_deduplicated: int = 0


class ArtifactStore(Protocol):
    """Publishes versions all-or-nothing and reads them back."""

    def begin(self, ref: EntityRef) -> Transaction:
        """Open a transaction for ``ref``; when ``ref.version`` is None the store picks
        the UTC upload time. Raises AlreadyExistsError for a published version."""
        ...

    def upload(
        self, transaction: Transaction, items: Sequence[UploadItem], events: TransferEvents
    ) -> UploadReport:
        """Store every item (by checksum when the store has the bytes) or raise."""
        ...

    def commit(
        self, transaction: Transaction, manifest: Manifest, properties: Mapping[str, str]
    ) -> None:
        """Make the version visible, atomically; every manifest file must be stored."""
        ...

    def abort(self, transaction: Transaction) -> None:
        """Forget an uncommitted transaction; never raises for one already gone."""
        ...

    def read_manifest(self, ref: EntityRef) -> Manifest:
        """The manifest of a published version (NotFoundError if none)."""
        ...

    def read_properties(self, ref: EntityRef) -> dict[str, str]:
        """The properties of a published version (NotFoundError if none)."""
        ...

    def download(
        self, ref: EntityRef, items: Sequence[DownloadItem], events: TransferEvents
    ) -> None:
        """Write each artifact into its sink and commit the sink, or raise.

        Each sink is opened only for its own transfer (``with item.sink() as sink``):
        a store holds at most as many open as the files it moves at once.
        """
        ...

    def list_versions(self, ref: EntityRef) -> Sequence[VersionSummary]:
        """The published versions of an entity (any order; NotFoundError if none)."""
        ...

    def list_entities(self, repository: str, kind: EntityKind) -> Sequence[str]:
        """Entity paths (``name`` or ``namespace/name``) of ``kind`` that have a
        published version, in any order (NotFoundError for a missing repository)."""
        ...

    def delete_version(self, ref: EntityRef) -> None:
        """Remove a published version, its files, manifest and properties, so that it is
        no longer listed nor read and its name may be published again (NotFoundError if
        there is none). Contents other versions share stay."""
        ...

    def list_repositories(self) -> Sequence[RepositoryListing]:
        """The machine-learning repositories the store holds (or the caller may see),
        in any order."""
        ...

    def close(self) -> None:
        """Release what the store holds open (pooled connections); idempotent."""
        ...


@runtime_checkable
class BlobIndex(Protocol):
    """Optional: a store that can tell cheaply which contents it already holds."""

    def stored_blobs(self, sha256s: Collection[str]) -> set[str]:
        """The subset of ``sha256s`` whose bytes the store holds."""
        ...
