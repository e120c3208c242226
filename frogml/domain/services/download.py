"""Use case: download a model or dataset version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from frogml.domain.errors import ProtocolError, TargetConflictError, ValidationError
from frogml.domain.model.base import Value
from frogml.domain.model.entity import EntityAddress, EntityRef
from frogml.domain.model.kind import Area, EntityKind
from frogml.domain.model.manifest import Artifact
from frogml.domain.model.names import check_distinct
from frogml.domain.model.patterns import PathRules
from frogml.domain.model.plan import PlannedFile, SkippedFile, TransferPlan
from frogml.domain.model.target import Found, Presence, conflict_error
from frogml.domain.ports.artifact_store import ArtifactStore, DownloadItem, SinkOpener
from frogml.domain.ports.filesystem import FileSink, FileSystem
from frogml.domain.ports.forecast import DownloadForecast
from frogml.domain.ports.progress import NULL_EVENTS, TransferEvents, TransferTally

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
    overwrite: bool = False

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
    """Bytes that moved from the store: bytes a resumed file already held, or that the
    download cache gave, are not counted."""
    skipped: tuple[SkippedFile, ...] = ()
    bytes_reused: int = 0
    """Bytes that did not move: files already present, resumed prefixes, cached files."""


@dataclass(frozen=True, slots=True)  # one per file of the version: no __dict__ each
class _Planned:
    """One file of the version: where it lands locally, its area and its artifact."""

    local_path: str
    area: Area
    artifact: Artifact


_IN_THE_WAY = (Presence.FILE_IN_THE_WAY, Presence.EMPTY_FOLDER)


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
      final name; a file already present with the right hash is kept;
    - the user's files are never replaced unasked: before anything is written, the
      target is compared with the version; a file with other bytes, a file where one of
      the version's folders goes, or a folder where one of its files goes refuses the
      whole download (TargetConflictError, naming them all) unless ``overwrite``, which
      replaces files and empty folders; a folder holding something is never replaced;
    - a target that is a file, or that may not be written, is refused before anything
      is written, as the dry run does;
    - :meth:`plan` reports the same decisions and writes nothing; it marks each file to
      replace with its conflict (``plan.refusal()`` is what the download would raise).
    """

    def __init__(self, *, store: ArtifactStore, filesystem: FileSystem) -> None:
        self._store = store
        self._filesystem = filesystem

    def __call__(
        self, request: DownloadRequest, events: TransferEvents = NULL_EVENTS
    ) -> DownloadResult:
        if isinstance(self._store, DownloadForecast):  # it prepares while reading
            self._store.download_begins(request.ref)
        ref, plan, skipped = self._selected(request)
        if not plan:
            raise ValidationError(
                f"no file of {ref.describe()} matches the include/exclude patterns",
                field="include",
                hint=f"list its files with `frogml {ref.kind.value} info`",
            )
        if isinstance(self._store, DownloadForecast):  # it prepares while we look around
            self._store.expect_download(entry.artifact.size for entry in plan)
        target, filesystem = request.target_path, self._filesystem
        _check_no_collisions(plan, fold_case=filesystem.folds_case(target))
        found = self._survey(request, plan)
        conflicts = [(e.local_path, f.presence) for e, f in zip(plan, found, strict=True)]
        refusal = conflict_error(target, ref.describe(), conflicts, overwrite=request.overwrite)
        if refusal is not None:
            raise refusal
        filesystem.prepare_target(target)
        # Asked for (overwrite): what stands where a folder or file goes is removed first;
        # a file with other bytes stays until the verified one is renamed over it.
        for path in dict.fromkeys(f.path for f in found if f.presence in _IN_THE_WAY):
            filesystem.make_way(target, path)
        opener = _sink_opener(filesystem, target)  # one for all: items stay small
        items = [
            DownloadItem(entry.area, entry.artifact, entry.local_path, opener)
            for entry, held in zip(plan, found, strict=True)
            if held.presence is not Presence.SAME
        ]
        present = sum(
            e.artifact.size for e, f in zip(plan, found, strict=True) if f.presence is Presence.SAME
        )
        files = tuple(entry.local_path for entry in plan)
        planned = len(plan)
        del plan, found, conflicts  # per file, only the items stay while the bytes move
        tally = TransferTally(events)
        tally.started(files=len(items), total_bytes=sum(i.artifact.size for i in items))
        try:
            self._store.download(ref, items, tally)  # it opens each sink when it needs it
        finally:
            filesystem.settle(target)  # the renames made durable, once per folder
            tally.finished()
        return DownloadResult(
            ref=ref,
            target_path=target,
            files=files,
            files_downloaded=len(items),
            files_reused=planned - len(items),
            bytes_downloaded=tally.bytes_moved,
            skipped=tuple(skipped),
            bytes_reused=present + tally.bytes_reused,
        )

    def plan(self, request: DownloadRequest) -> TransferPlan:
        """What :meth:`__call__` would download, reuse and leave out."""
        ref, plan, skipped = self._selected(request)
        transfer: list[PlannedFile] = []
        reuse: list[PlannedFile] = []
        for entry, held in zip(plan, self._survey(request, plan), strict=True):
            conflict = held.presence if held.presence.conflicts else None
            planned = PlannedFile(
                path=entry.local_path,
                size=entry.artifact.size,
                area=entry.area.value,
                conflict=conflict,
            )
            (reuse if held.presence is Presence.SAME else transfer).append(planned)
        return TransferPlan(
            ref=ref,
            direction="download",
            transfer=tuple(transfer),
            reuse=tuple(reuse),
            skipped=tuple(skipped),
            target_path=request.target_path,
        )

    def _survey(self, request: DownloadRequest, plan: Sequence[_Planned]) -> list[Found]:
        """What the target holds in the place of each file, checking first that it may
        be written; nothing is written."""
        target, filesystem = request.target_path, self._filesystem
        filesystem.check_target(target)
        found = [
            filesystem.inspect(target, e.local_path, size=e.artifact.size, sha256=e.artifact.sha256)
            for e in plan
        ]
        _check_one_file_each(target, plan, found)
        return found

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


def _sink_opener(filesystem: FileSystem, target: str) -> SinkOpener:
    """Opens an item's sink in ``target``: the store calls it when the transfer starts."""

    def open_sink(item: DownloadItem) -> FileSink:
        artifact = item.artifact
        return filesystem.open_sink(
            target, item.rel_path, size=artifact.size, sha256=artifact.sha256
        )

    return open_sink


def _check_one_file_each(target: str, plan: Sequence[_Planned], found: Sequence[Found]) -> None:
    """Refuse two of the version's files that would be one file of the target: a link
    to a folder in the target (``sub -> .``) leads one path onto another, and the last
    rename would silently win."""
    seen: dict[str, str] = {}
    for entry, held in zip(plan, found, strict=True):
        if not held.lands:
            continue
        first = seen.setdefault(held.lands, entry.local_path)
        if first != entry.local_path:
            raise TargetConflictError(
                f"cannot download into {target!r}: {first!r} and {entry.local_path!r} would "
                "be one file there (a link in the folder leads one onto the other)",
                target=target,
                paths=(first, entry.local_path),
                hint="download into another folder, or replace the link by a folder",
            )


def _check_no_collisions(plan: Sequence[_Planned], *, fold_case: bool) -> None:
    check_distinct(
        (entry.local_path for entry in plan), what="the manifest's local paths", fold_case=fold_case
    )
