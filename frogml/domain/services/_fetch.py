"""The verified download shared by the model and dataset downloads."""

from __future__ import annotations

from collections.abc import Sequence

from frogml.domain.errors import ValidationError
from frogml.domain.model.base import Value
from frogml.domain.model.entity import EntityRef
from frogml.domain.model.manifest import Artifact
from frogml.domain.model.names import same_file_key
from frogml.domain.model.plan import SkippedFile
from frogml.domain.ports.artifact_store import Area, ArtifactStore, DownloadItem
from frogml.domain.ports.filesystem import FileSink, FileSystem
from frogml.domain.ports.progress import TransferEvents

__all__ = ["DownloadResult", "fetch"]


class DownloadResult(Value, frozen=True):
    """Where a version was written and how much had to move."""

    ref: EntityRef
    target_path: str
    files: tuple[str, ...]
    files_downloaded: int
    files_reused: int
    bytes_downloaded: int
    skipped: tuple[SkippedFile, ...] = ()


def _check_no_collisions(plan: Sequence[tuple[str, Area, Artifact]]) -> None:
    seen: dict[str, str] = {}
    for local_path, _, _ in plan:
        key = same_file_key(local_path)
        if key in seen:
            raise ValidationError(
                f"the manifest writes {local_path!r} twice; refusing to download",
                field="manifest",
            )
        seen[key] = local_path
    parents = {
        "/".join(parts[:end])
        for parts in (path.split("/") for path in seen)
        for end in range(1, len(parts))
    }
    clash = sorted(parents & set(seen))
    if clash:
        raise ValidationError(
            f"the manifest uses {seen[clash[0]]!r} both as a file and a folder", field="manifest"
        )


def fetch(
    store: ArtifactStore,
    filesystem: FileSystem,
    ref: EntityRef,
    plan: Sequence[tuple[str, Area, Artifact]],
    target_path: str,
    events: TransferEvents,
    *,
    skipped: Sequence[SkippedFile] = (),
) -> DownloadResult:
    """Download every planned ``(local path, area, artifact)`` into ``target_path``.

    Rules: paths are checked (no escape, no collision) before anything is written; a
    file already present is kept only when its SHA-256 matches; every byte is verified
    before it appears under its final name; when the include/exclude patterns leave
    no file, nothing is created and the caller is told.
    """
    if not plan:
        raise ValidationError(
            f"no file of {ref.describe()} matches the include/exclude patterns",
            field="include",
            hint=f"list its files with `frogml {ref.kind.value} info`",
        )
    _check_no_collisions(plan)
    filesystem.prepare_target(target_path)
    sinks: list[FileSink] = []
    items: list[DownloadItem] = []
    reused = 0
    try:
        for local_path, area, artifact in plan:
            if filesystem.holds(
                target_path, local_path, size=artifact.size, sha256=artifact.sha256
            ):
                reused += 1
                continue
            sink = filesystem.open_sink(
                target_path, local_path, size=artifact.size, sha256=artifact.sha256
            )
            sinks.append(sink)
            items.append(DownloadItem(area=area, artifact=artifact, sink=sink))
        events.started(files=len(items), total_bytes=sum(i.artifact.size for i in items))
        try:
            store.download(ref, items, events)
        finally:
            events.finished()
    finally:
        for sink in sinks:
            sink.close()
    return DownloadResult(
        ref=ref,
        target_path=target_path,
        files=tuple(local for local, _, _ in plan),
        files_downloaded=len(items),
        files_reused=reused,
        bytes_downloaded=sum(i.artifact.size for i in items),
        skipped=tuple(skipped),
    )
