"""Dry runs shared by the uploads and downloads: what would move, without moving it."""

from __future__ import annotations

from collections.abc import Sequence

from frogml.domain.model.entity import EntityRef
from frogml.domain.model.manifest import Artifact
from frogml.domain.model.patterns import PathRules
from frogml.domain.model.plan import PlannedFile, SkippedFile, TransferPlan
from frogml.domain.ports.artifact_store import Area, BlobIndex, UploadItem
from frogml.domain.ports.filesystem import FileSystem

__all__ = ["filter_download", "plan_download", "plan_upload"]


def _planned(path: str, size: int, area: Area) -> PlannedFile:
    return PlannedFile(path=path, size=size, area=area.value)


def plan_upload(
    ref: EntityRef,
    items: Sequence[UploadItem],
    skipped: Sequence[SkippedFile],
    blobs: BlobIndex | None,
) -> TransferPlan:
    """Every item goes to ``transfer``, unless ``blobs`` says the store holds its bytes."""
    held = set() if blobs is None else blobs.stored_blobs({i.source.sha256 for i in items})
    planned = [(i, _planned(i.source.rel_path, i.source.size, i.area)) for i in items]
    return TransferPlan(
        ref=ref,
        direction="upload",
        transfer=tuple(p for i, p in planned if i.source.sha256 not in held),
        reuse=tuple(p for i, p in planned if i.source.sha256 in held),
        skipped=tuple(skipped),
        reuse_known=blobs is not None,
    )


def filter_download(
    plan: Sequence[tuple[str, Area, Artifact]], include: Sequence[str], exclude: Sequence[str]
) -> tuple[list[tuple[str, Area, Artifact]], list[SkippedFile]]:
    """The planned files the patterns take (matched on the local path), and the rest."""
    rules = PathRules(include=tuple(include), exclude=tuple(exclude))
    kept: list[tuple[str, Area, Artifact]] = []
    skipped: list[SkippedFile] = []
    for entry in plan:
        reason = rules.reason_to_skip(entry[0])
        if reason is None:
            kept.append(entry)
        else:
            skipped.append(SkippedFile(path=entry[0], reason=reason))
    return kept, skipped


def plan_download(
    filesystem: FileSystem,
    ref: EntityRef,
    plan: Sequence[tuple[str, Area, Artifact]],
    skipped: Sequence[SkippedFile],
    target_path: str,
) -> TransferPlan:
    """Files the target already holds with the right SHA-256 are reused; nothing is written."""
    transfer: list[PlannedFile] = []
    reuse: list[PlannedFile] = []
    for local_path, area, artifact in plan:
        held = filesystem.holds(target_path, local_path, size=artifact.size, sha256=artifact.sha256)
        (reuse if held else transfer).append(_planned(local_path, artifact.size, area))
    return TransferPlan(
        ref=ref,
        direction="download",
        transfer=tuple(transfer),
        reuse=tuple(reuse),
        skipped=tuple(skipped),
        target_path=target_path,
    )
