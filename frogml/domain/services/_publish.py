"""The all-or-nothing publication shared by the model and dataset uploads."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from frogml.domain.errors import AlreadyExistsError
from frogml.domain.model.entity import EntityRef, format_created_date
from frogml.domain.model.manifest import Artifact, Manifest
from frogml.domain.ports.artifact_store import ArtifactStore, Transaction, UploadItem, UploadReport
from frogml.domain.ports.filesystem import SourceFile
from frogml.domain.ports.progress import TransferEvents

__all__ = ["artifact_of", "publish"]


def artifact_of(source: SourceFile) -> Artifact:
    """The manifest entry describing ``source``."""
    return Artifact(artifact_path=source.rel_path, size=source.size, sha256=source.sha256)


def publish(
    store: ArtifactStore,
    ref: EntityRef,
    items: Sequence[UploadItem],
    *,
    build_manifest: Callable[[str], Manifest],
    properties: Mapping[str, str],
    events: TransferEvents,
) -> tuple[Transaction, Manifest, UploadReport]:
    """Begin, store every item, then commit; abort on any failure so nothing is published.

    ``build_manifest`` receives the manifest's ``created_date``, derived from the
    transaction's start time as the protocol prescribes.
    """
    try:
        transaction = store.begin(ref)
    except AlreadyExistsError as exc:
        if ref.version is not None:
            raise
        raise AlreadyExistsError(
            f"{exc.message} (the default version is the upload time, to the second)",
            what=exc.what,
            hint="give a version, or upload again a second later",
        ) from exc
    try:
        manifest = build_manifest(format_created_date(transaction.started_at))
        total = sum(item.source.size for item in items)
        events.started(files=len(items), total_bytes=total)
        try:
            report = store.upload(transaction, items, events)
        finally:
            events.finished()
        store.commit(transaction, manifest, properties)
    except BaseException:
        store.abort(transaction)
        raise
    return transaction, manifest, report
