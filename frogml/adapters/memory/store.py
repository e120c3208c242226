"""An in-memory artifact store that keeps the same contract as the real ones."""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from frogml.adapters.memory.clock import ManualClock
from frogml.domain.errors import (
    AlreadyExistsError,
    IntegrityError,
    LocalFileError,
    NotFoundError,
    ValidationError,
)
from frogml.domain.model.entity import EntityKind, EntityRef, VersionSummary, default_version
from frogml.domain.model.manifest import Manifest
from frogml.domain.model.repository import RepositoryListing
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
from frogml.domain.ports.preflight import UploadPreflight
from frogml.domain.ports.progress import TransferEvents, report_reused

__all__ = ["InMemoryStore"]

_CHUNK = 64 * 1024
_Key = tuple[str, EntityKind, str]  # repository, kind, entity path


@dataclass
class _Published:
    manifest: Manifest
    properties: dict[str, str]
    created: datetime


@dataclass
class _Open:
    ref: EntityRef
    uploaded: dict[tuple[Area, str], str] = field(default_factory=dict)


class InMemoryStore(ArtifactStore, BlobIndex, UploadPreflight):
    """Blobs by SHA-256 and versions in dicts; verifies every byte it receives."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        self._clock: Clock = clock or ManualClock()
        self.blobs: dict[str, bytes] = {}
        self.versions: dict[_Key, dict[str, _Published]] = {}
        self.transactions: dict[str, _Open] = {}
        self.bytes_received = 0
        self.files_received = 0
        self.files_deduplicated = 0
        self._lock = threading.RLock()

    def corrupt_blob(self, sha256: str, data: bytes = b"tampered") -> None:
        """Replace a stored blob's bytes, as a damaged or malicious store would."""
        self.blobs[sha256] = data

    def begin(self, ref: EntityRef) -> Transaction:
        now = self._clock.now()
        versioned = ref.with_version(ref.version or default_version(now))
        with self._lock:
            if versioned.version in self.versions.get(_key(ref), {}):
                raise AlreadyExistsError(
                    f"{versioned.describe()} is already published", what="version"
                )
            transaction_id = uuid.uuid4().hex
            self.transactions[transaction_id] = _Open(versioned)
        return Transaction(ref=versioned, transaction_id=transaction_id, started_at=now)

    def upload(
        self, transaction: Transaction, items: Sequence[UploadItem], events: TransferEvents
    ) -> UploadReport:
        open_ = self._open(transaction)
        report = UploadReport()
        for item in items:
            source = item.source
            held = self.blobs.get(source.sha256)
            send = held is None or len(held) != source.size
            if send:
                self._receive(item, events)
            else:
                self.files_deduplicated += 1
                report_reused(events, source.size)
            report = _add(report, source.size, sent=send)
            open_.uploaded[(item.area, source.rel_path)] = source.sha256
            events.file_done(source.rel_path, transferred=send)
        return report

    def _receive(self, item: UploadItem, events: TransferEvents) -> None:
        hasher, data = hashlib.sha256(), bytearray()
        try:
            with item.source.open() as stream:
                while chunk := stream.read(_CHUNK):
                    hasher.update(chunk)
                    data += chunk
                    events.advanced(len(chunk))
        except OSError as exc:
            raise LocalFileError(
                f"cannot read {item.source.rel_path!r}: {exc}", path=item.source.rel_path
            ) from exc
        actual = hasher.hexdigest()
        if actual != item.source.sha256 or len(data) != item.source.size:
            raise IntegrityError(
                f"{item.source.rel_path!r} changed while it was uploaded; nothing was stored",
                path=item.source.rel_path,
                expected=item.source.sha256,
                actual=actual,
            )
        with self._lock:
            self.blobs[actual] = bytes(data)
            self.bytes_received += len(data)
            self.files_received += 1

    def commit(
        self, transaction: Transaction, manifest: Manifest, properties: Mapping[str, str]
    ) -> None:
        with self._lock:
            open_ = self._open(transaction)
            for area, artifact in manifest.entries():
                if open_.uploaded.get((area, artifact.artifact_path)) != artifact.sha256:
                    raise ValidationError(
                        f"the manifest names {artifact.artifact_path!r}, which this "
                        "transaction did not upload with that SHA-256",
                        field="manifest",
                    )
            published = self.versions.setdefault(_key(transaction.ref), {})
            if transaction.version in published:
                raise AlreadyExistsError(
                    f"{transaction.ref.describe()} is already published", what="version"
                )
            created = transaction.started_at
            published[transaction.version] = _Published(manifest, dict(properties), created)
            del self.transactions[transaction.transaction_id]

    def abort(self, transaction: Transaction) -> None:
        with self._lock:
            self.transactions.pop(transaction.transaction_id, None)

    def read_manifest(self, ref: EntityRef) -> Manifest:
        return self._published(ref).manifest

    def read_properties(self, ref: EntityRef) -> dict[str, str]:
        return dict(self._published(ref).properties)

    def close(self) -> None:
        pass

    def download(
        self, ref: EntityRef, items: Sequence[DownloadItem], events: TransferEvents
    ) -> None:
        self._published(ref)
        for item in items:
            data = self.blobs.get(item.artifact.sha256)
            if data is None:
                raise NotFoundError(f"the store lost {item.artifact.artifact_path!r}", what="file")
            with item.sink() as sink:
                if sink.offset > len(data):
                    sink.restart()
                if sink.offset:
                    report_reused(events, sink.offset)
                for start in range(sink.offset, len(data), _CHUNK):
                    sink.write(data[start : start + _CHUNK])
                    events.advanced(len(data[start : start + _CHUNK]))
                sink.commit()
            events.file_done(item.rel_path, transferred=True)

    def list_versions(self, ref: EntityRef) -> Sequence[VersionSummary]:
        published = self._entity(ref)
        return [VersionSummary(version=v, created=p.created) for v, p in published.items()]

    def list_entities(self, repository: str, kind: EntityKind) -> list[str]:
        """Entity paths (``name`` or ``namespace/name``) of ``kind`` in ``repository``."""
        if not any(key[0] == repository for key in self.versions):
            raise NotFoundError(f"repository {repository!r} does not exist", what="repository")
        return sorted(k[2] for k, v in self.versions.items() if k[:2] == (repository, kind) and v)

    def delete_version(self, ref: EntityRef) -> None:
        """Forget a published version; its blobs stay (other versions may share them)."""
        with self._lock:
            self._published(ref)  # NotFoundError naming what is missing
            assert ref.version is not None
            del self.versions[_key(ref)][ref.version]

    def list_repositories(self) -> list[RepositoryListing]:
        """The repositories something was ever published to."""
        return [RepositoryListing(key=key) for key in sorted({k[0] for k in self.versions})]

    def check_upload(self, ref: EntityRef) -> None:
        """A published version is refused, as :meth:`begin` refuses it."""
        with self._lock:
            if ref.version is not None and ref.version in self.versions.get(_key(ref), {}):
                raise AlreadyExistsError(f"{ref.describe()} is already published", what="version")

    def stored_blobs(self, sha256s: Collection[str]) -> set[str]:
        """The contents already held (an upload of them would send no bytes)."""
        return {sha for sha in sha256s if sha in self.blobs}

    def _open(self, transaction: Transaction) -> _Open:
        open_ = self.transactions.get(transaction.transaction_id)
        if open_ is None:
            raise NotFoundError(
                f"transaction {transaction.transaction_id} is unknown or already finished",
                what="transaction",
            )
        return open_

    def _entity(self, ref: EntityRef) -> dict[str, _Published]:
        if not any(key[0] == ref.repository for key in self.versions):
            raise NotFoundError(f"repository {ref.repository!r} does not exist", what="repository")
        published = self.versions.get(_key(ref))
        if not published:
            raise NotFoundError(
                f"{ref.unversioned().describe()} does not exist", what=ref.kind.value
            )
        return published

    def _published(self, ref: EntityRef) -> _Published:
        if ref.version is None:
            raise ValidationError("a version is needed", field="version")
        found = self._entity(ref).get(ref.version)
        if found is None:
            raise NotFoundError(f"{ref.describe()} does not exist", what="version")
        return found


def _key(ref: EntityRef) -> _Key:
    return (ref.repository, ref.kind, ref.entity_path)


def _add(report: UploadReport, size: int, *, sent: bool) -> UploadReport:
    return UploadReport(
        files_sent=report.files_sent + sent,
        bytes_sent=report.bytes_sent + size * sent,
        files_deduplicated=report.files_deduplicated + (not sent),
        bytes_deduplicated=report.bytes_deduplicated + size * (not sent),
    )
