"""The embedded store: versions published into a folder on the local disk."""

from __future__ import annotations

import contextlib
import shutil
import time
import uuid
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from frogml.adapters.local_store._blob_keys import blob_intact
from frogml.adapters.local_store._blobs import copy_blob, store_blob
from frogml.adapters.local_store._disk import fsync_dir, store_error
from frogml.adapters.local_store._garbage import collect_garbage, remove_version, upload_guard
from frogml.adapters.local_store._layout import NAMESPACE_MARK, PROPERTIES_FILE, Layout
from frogml.adapters.local_store._preflight import check_upload
from frogml.adapters.local_store._records import (
    Upload,
    created_of,
    encode_upload,
    read_manifest,
    read_properties,
)
from frogml.adapters.local_store._versions import UPLOADS_FILE, build_version, publish_version
from frogml.adapters.logs import get_logger
from frogml.adapters.open_files import check_open_files
from frogml.domain.errors import (
    AlreadyExistsError,
    IntegrityError,
    NotFoundError,
    ValidationError,
)
from frogml.domain.model.entity import EntityKind, EntityRef, VersionSummary, default_version
from frogml.domain.model.manifest import Manifest
from frogml.domain.model.names import is_valid_name
from frogml.domain.model.repository import RepositoryListing
from frogml.domain.ports.artifact_store import (
    ArtifactStore,
    BlobIndex,
    DownloadItem,
    Transaction,
    UploadItem,
    UploadReport,
)
from frogml.domain.ports.clock import Clock
from frogml.domain.ports.filesystem import FileSink
from frogml.domain.ports.garbage import GarbageCollectable, GarbageReport
from frogml.domain.ports.preflight import UploadPreflight
from frogml.domain.ports.progress import TransferEvents, report_reused

__all__ = ["LocalStore"]

_STALE_SECONDS = 24 * 3600
_FILES_PER_COPY = 3  # one file is copied at a time: source, destination, its folder
_log = get_logger("frogml")


class LocalStore(ArtifactStore, BlobIndex, GarbageCollectable, UploadPreflight):
    """Publishes by renaming a complete staging folder; readers never need a lock."""

    def __init__(self, root: Path, *, clock: Clock) -> None:
        self._layout = Layout(root)
        self._clock = clock

    def begin(self, ref: EntityRef) -> Transaction:
        now = self._clock.now()
        versioned = ref.with_version(ref.version or default_version(now))
        if self._layout.version(versioned).exists():
            raise AlreadyExistsError(f"{versioned.describe()} is already published", what="version")
        transaction_id = uuid.uuid4().hex
        staging = self._layout.staging(transaction_id)
        try:
            staging.mkdir(parents=True)
        except OSError as exc:
            raise store_error(staging, exc) from exc
        self._clean_stale_staging()
        return Transaction(ref=versioned, transaction_id=transaction_id, started_at=now)

    def upload(
        self, transaction: Transaction, items: Sequence[UploadItem], events: TransferEvents
    ) -> UploadReport:
        staging = self._staging(transaction)
        check_open_files(threads=1, per_thread=_FILES_PER_COPY, doing="uploading")
        counts = {True: [0, 0], False: [0, 0]}  # sent?: [files, bytes]
        folders: set[Path] = set()  # of the new blobs: fsynced once each, at the end
        with upload_guard(self._layout), _records_of(staging) as index:
            # `frogml gc` keeps the blobs recorded here (closed, so written, in the guard)
            for item in items:
                send = self._store_one(staging, item, events, index, folders)
                counts[send][0] += 1
                counts[send][1] += item.source.size
                events.file_done(item.source.rel_path, transferred=send)
            _flush(staging, index)
        for folder in folders:  # before commit can publish a version naming them
            fsync_dir(folder)
        (files_sent, bytes_sent), (files_kept, bytes_kept) = counts[True], counts[False]
        return UploadReport(
            files_sent=files_sent,
            bytes_sent=bytes_sent,
            files_deduplicated=files_kept,
            bytes_deduplicated=bytes_kept,
        )

    def _store_one(
        self,
        staging: Path,
        item: UploadItem,
        events: TransferEvents,
        index: BinaryIO,
        folders: set[Path],
    ) -> bool:
        """Store one file's blob unless it is there, and record it; True when bytes moved."""
        source = item.source
        send = not blob_intact(self._layout, source.sha256, source.size)
        if send:
            folders.add(store_blob(self._layout, staging, source, events))
        else:
            report_reused(events, source.size)
        record = Upload(area=item.area, path=source.rel_path, sha256=source.sha256)
        try:
            index.write(encode_upload(record))
        except OSError as exc:
            raise store_error(staging / UPLOADS_FILE, exc) from exc
        return send

    def commit(
        self, transaction: Transaction, manifest: Manifest, properties: Mapping[str, str]
    ) -> None:
        staging = self._staging(transaction)
        try:
            build = build_version(
                self._layout, staging, transaction.ref, manifest, dict(properties)
            )
            publish_version(self._layout, transaction.ref, build)
        except OSError as exc:
            raise store_error(staging, exc) from exc
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def abort(self, transaction: Transaction) -> None:
        shutil.rmtree(self._layout.staging(transaction.transaction_id), ignore_errors=True)

    def read_manifest(self, ref: EntityRef) -> Manifest:
        return read_manifest(self._version_folder(ref) / ref.kind.manifest_file, ref.kind)

    def read_properties(self, ref: EntityRef) -> dict[str, str]:
        return read_properties(self._version_folder(ref) / PROPERTIES_FILE)

    def close(self) -> None:
        pass  # nothing is held open between calls

    def download(
        self, ref: EntityRef, items: Sequence[DownloadItem], events: TransferEvents
    ) -> None:
        folder = self._version_folder(ref)
        check_open_files(threads=1, per_thread=_FILES_PER_COPY, doing="downloading")
        for item in items:
            path = self._layout.blob(item.artifact.sha256)
            if not path.exists():  # blobs pruned by hand: the version folder keeps a copy
                path = folder / item.area.value / item.artifact.artifact_path
            with item.sink() as sink:
                _copy_verified(path, item, sink, events)
            events.file_done(item.rel_path, transferred=True)

    def list_versions(self, ref: EntityRef) -> Sequence[VersionSummary]:
        summaries = []
        for folder in _version_folders(self._entity_folder(ref)):
            # A damaged version is still listed, with its folder's date.
            created = created_of(folder / ref.kind.manifest_file, folder)
            summaries.append(VersionSummary(version=folder.name, created=created))
        return summaries

    def list_entities(self, repository: str, kind: EntityKind) -> list[str]:
        """Entity paths (``name`` or ``namespace/name``) of ``kind`` in ``repository``."""
        if not self._layout.repository(repository).is_dir():
            raise NotFoundError(f"repository {repository!r} does not exist", what="repository")
        top = self._layout.kind(repository, kind)
        names: list[str] = []
        for entry in top.iterdir() if top.is_dir() else []:
            if not entry.name.startswith(NAMESPACE_MARK):
                names += [entry.name] if _has_versions(entry) else []
            elif entry.is_dir():
                namespace = entry.name[len(NAMESPACE_MARK) :]
                names += [f"{namespace}/{e.name}" for e in entry.iterdir() if _has_versions(e)]
        return sorted(names)

    def delete_version(self, ref: EntityRef) -> None:
        self._version_folder(ref)  # NotFoundError naming what is missing
        remove_version(self._layout, ref)

    def list_repositories(self) -> list[RepositoryListing]:
        top = self._layout.repositories
        found = [e.name for e in top.iterdir() if e.is_dir()] if top.is_dir() else []
        return [
            RepositoryListing(key=key, url=(top / key).absolute().as_uri())
            for key in sorted(found)
            if is_valid_name(key)
        ]

    def collect_garbage(self, *, dry_run: bool = False) -> GarbageReport:
        """Unused blobs and uploads abandoned for a day; see :mod:`._garbage`."""
        now = self._clock.now().timestamp()
        return collect_garbage(self._layout, now=now, dry_run=dry_run)

    def check_upload(self, ref: EntityRef) -> None:
        """What :meth:`begin` would refuse, writing nothing (there are no credentials,
        and a repository is created by its first upload)."""
        check_upload(self._layout, ref)

    def stored_blobs(self, sha256s: Collection[str]) -> set[str]:
        """The contents already in the store (an upload of them would copy no bytes)."""
        return {sha for sha in sha256s if self._layout.blob(sha).is_file()}

    def _staging(self, transaction: Transaction) -> Path:
        staging = self._layout.staging(transaction.transaction_id)
        if not staging.is_dir():
            raise NotFoundError(
                f"transaction {transaction.transaction_id} is unknown or already finished",
                what="transaction",
            )
        return staging

    def _entity_folder(self, ref: EntityRef) -> Path:
        if not self._layout.repository(ref.repository).is_dir():
            raise NotFoundError(f"repository {ref.repository!r} does not exist", what="repository")
        folder = self._layout.entity(ref)
        if not _has_versions(folder):
            raise NotFoundError(
                f"{ref.unversioned().describe()} does not exist", what=ref.kind.value
            )
        return folder

    def _version_folder(self, ref: EntityRef) -> Path:
        if ref.version is None:
            raise ValidationError("a version is needed", field="version")
        folder = self._entity_folder(ref) / ref.version
        if not folder.is_dir():
            raise NotFoundError(f"{ref.describe()} does not exist", what="version")
        return folder

    def _clean_stale_staging(self) -> None:
        # Transactions of crashed processes; a day is far longer than any local upload.
        limit = time.time() - _STALE_SECONDS
        for staging in self._layout.tmp.iterdir():
            with contextlib.suppress(OSError):
                if staging.stat().st_mtime < limit:
                    shutil.rmtree(staging, ignore_errors=True)
                    _log.info("stale_transaction_removed", path=str(staging))


@contextlib.contextmanager
def _records_of(staging: Path) -> Iterator[BinaryIO]:
    """The transaction's record of stored files, open for appending (once, not per file).

    Closing it writes what is still buffered, and on a full disk that fails too: after
    an error it is closed quietly (the error under way is the one to report, not the
    close's), otherwise its failure is reported like any other of the store's files."""
    path = staging / UPLOADS_FILE
    try:
        index = open(path, "ab")  # noqa: SIM115 (closed below, with care for a full disk)
    except OSError as exc:
        raise store_error(path, exc) from exc
    try:
        yield index
    except BaseException:
        with contextlib.suppress(OSError):
            index.close()
        raise
    try:
        index.close()
    except OSError as exc:
        raise store_error(path, exc) from exc


def _flush(staging: Path, index: BinaryIO) -> None:
    try:
        index.flush()
    except OSError as exc:
        raise store_error(staging / UPLOADS_FILE, exc) from exc


def _copy_verified(path: Path, item: DownloadItem, sink: FileSink, events: TransferEvents) -> None:
    """Copy the blob into the sink and verify it (damaged bytes never reach the final
    name). A partial file an earlier run left may have been damaged since: when the
    resumed file fails, it is copied once more from its first byte, in this run."""
    resumed = sink.offset > 0
    copy_blob(path, item, sink, events)
    try:
        sink.commit()
    except IntegrityError:
        if not resumed:
            raise  # the stored bytes themselves differ: the store is damaged
        sink.restart()
        copy_blob(path, item, sink, events)
        sink.commit()


def _version_folders(folder: Path) -> list[Path]:
    """The versions in an entity's folder: not what a person (or Finder) left there."""
    return [e for e in folder.iterdir() if e.is_dir() and is_valid_name(e.name)]


def _has_versions(folder: Path) -> bool:
    return folder.is_dir() and bool(_version_folders(folder))
