"""Use case: download a model or dataset version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from frogml.domain.errors import ProtocolError, ValidationError
from frogml.domain.model.base import Value
from frogml.domain.model.entity import EntityAddress, EntityRef
from frogml.domain.model.kind import Area, EntityKind
from frogml.domain.model.manifest import Artifact
from frogml.domain.model.names import check_distinct
from frogml.domain.model.patterns import PathRules
from frogml.domain.model.plan import PlannedFile, SkippedFile, TransferPlan
from frogml.domain.ports.artifact_store import ArtifactStore, DownloadItem
from frogml.domain.ports.filesystem import FileSink, FileSystem
from frogml.domain.ports.progress import NULL_EVENTS, TransferEvents

__all__ = [
    "Download",
    "DownloadDatasetRequest",
    "DownloadModelRequest",
    "DownloadRequest",
    "DownloadResult",
]


class DownloadRequest(EntityAddress, frozen=True, kw_only=True):
    """Which version to fetch, where to write it, and which files to take."""

    version: str
    target_path: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    with_dependencies: bool = False
    with_code: bool = False

    @property
    def areas(self) -> frozenset[Area]:
        """The areas to download: always the files; dependencies and code when asked."""
        asked = {
            Area.FILES: True,
            Area.DEPENDENCIES: self.with_dependencies,
            Area.CODE: self.with_code,
        }
        return frozenset(area for area, wanted in asked.items() if wanted)


class DownloadModelRequest(DownloadRequest, frozen=True, kw_only=True):
    """A download of a model version."""

    kind: EntityKind = EntityKind.MODEL


class DownloadDatasetRequest(DownloadRequest, frozen=True, kw_only=True):
    """A download of a dataset version."""

    kind: EntityKind = EntityKind.DATASET


class DownloadResult(Value, frozen=True):
    """Where a version was written and how much had to move."""

    ref: EntityRef
    target_path: str
    files: tuple[str, ...]
    files_downloaded: int
    files_reused: int
    bytes_downloaded: int
    skipped: tuple[SkippedFile, ...] = ()


@dataclass(frozen=True)
class _Planned:
    """One file of the version: where it lands locally, its area and its artifact."""

    local_path: str
    area: Area
    artifact: Artifact


class Download:
    """Download a model or dataset version into a folder.

    Rules:
    - the version's own files are downloaded; a model's dependency files and code
      archive only when asked for (``with_dependencies``, ``with_code``), as JFrog's
      client does; the others are listed as skipped;
    - each file lands at ``target/<local folder of its area>/<artifact_path>``: a
      model's dependency files under ``dependencies/``, its code archive under ``code/``,
      every other file at ``target/<artifact_path>``;
    - the manifest read must be of the requested kind (ProtocolError otherwise); the
      version's properties are not read;
    - ``include``/``exclude`` patterns (gitignore syntax) match those local paths; a
      file they leave out is neither downloaded nor touched; when they leave no file,
      nothing is created and the caller is told (ValidationError);
    - the manifest is untrusted: local paths that collide (also when they differ only by
      Unicode normalization, or only by case on a disk that ignores case) or that use a
      file as a folder are refused before anything is written;
    - every byte is verified against the manifest's SHA-256 before it appears under its
      final name; a file already present is kept only when its hash matches;
    - :meth:`plan` reports the same decisions and writes nothing.
    """

    def __init__(self, *, store: ArtifactStore, filesystem: FileSystem) -> None:
        self._store = store
        self._filesystem = filesystem

    def __call__(
        self, request: DownloadRequest, events: TransferEvents = NULL_EVENTS
    ) -> DownloadResult:
        ref, plan, skipped = self._selected(request)
        if not plan:
            raise ValidationError(
                f"no file of {ref.describe()} matches the include/exclude patterns",
                field="include",
                hint=f"list its files with `frogml {ref.kind.value} info`",
            )
        target, filesystem = request.target_path, self._filesystem
        _check_no_collisions(plan, fold_case=filesystem.folds_case(target))
        filesystem.prepare_target(target)
        sinks: list[FileSink] = []
        items: list[DownloadItem] = []
        try:
            for entry in plan:
                size, sha256 = entry.artifact.size, entry.artifact.sha256
                if filesystem.holds(target, entry.local_path, size=size, sha256=sha256):
                    continue
                sink = filesystem.open_sink(target, entry.local_path, size=size, sha256=sha256)
                sinks.append(sink)
                items.append(DownloadItem(area=entry.area, artifact=entry.artifact, sink=sink))
            events.started(files=len(items), total_bytes=sum(i.artifact.size for i in items))
            try:
                self._store.download(ref, items, events)
            finally:
                events.finished()
        finally:
            for sink in sinks:
                sink.close()
        return DownloadResult(
            ref=ref,
            target_path=target,
            files=tuple(entry.local_path for entry in plan),
            files_downloaded=len(items),
            files_reused=len(plan) - len(items),
            bytes_downloaded=sum(i.artifact.size for i in items),
            skipped=tuple(skipped),
        )

    def plan(self, request: DownloadRequest) -> TransferPlan:
        """What :meth:`__call__` would download, reuse and leave out."""
        ref, plan, skipped = self._selected(request)
        transfer: list[PlannedFile] = []
        reuse: list[PlannedFile] = []
        for entry in plan:
            artifact = entry.artifact
            held = self._filesystem.holds(
                request.target_path, entry.local_path, size=artifact.size, sha256=artifact.sha256
            )
            planned = PlannedFile(path=entry.local_path, size=artifact.size, area=entry.area.value)
            (reuse if held else transfer).append(planned)
        return TransferPlan(
            ref=ref,
            direction="download",
            transfer=tuple(transfer),
            reuse=tuple(reuse),
            skipped=tuple(skipped),
            target_path=request.target_path,
        )

    def _selected(
        self, request: DownloadRequest
    ) -> tuple[EntityRef, list[_Planned], list[SkippedFile]]:
        ref = request.ref
        manifest = self._store.read_manifest(ref)
        if manifest.kind is not ref.kind:
            raise ProtocolError(f"{ref.describe()} has no {ref.kind.value} manifest")
        rules = PathRules(include=request.include, exclude=request.exclude)
        kept: list[_Planned] = []
        skipped: list[SkippedFile] = []
        wanted = request.areas
        for area, artifact in manifest.entries():
            local_path = area.local_path(artifact.artifact_path)
            reason = (
                rules.reason_to_skip(local_path)
                if area in wanted
                else f"{area.value} not asked for"
            )
            if reason is None:
                kept.append(_Planned(local_path, area, artifact))
            else:
                skipped.append(SkippedFile(path=local_path, reason=reason))
        return ref, kept, skipped


def _check_no_collisions(plan: Sequence[_Planned], *, fold_case: bool) -> None:
    check_distinct(
        (entry.local_path for entry in plan), what="the manifest's local paths", fold_case=fold_case
    )
