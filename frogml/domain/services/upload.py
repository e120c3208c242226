"""Use case: upload a model or dataset version."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import overload

import msgspec

from frogml.domain.errors import AlreadyExistsError, ValidationError
from frogml.domain.model.base import Value
from frogml.domain.model.entity import (
    DatasetVersion,
    EntityAddress,
    EntityRef,
    EntityVersion,
    ModelVersion,
    format_created_date,
)
from frogml.domain.model.kind import Area, EntityKind
from frogml.domain.model.manifest import Artifact, build_manifest
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.model.names import check_distinct, check_properties, same_file_key
from frogml.domain.model.patterns import PathRules
from frogml.domain.model.plan import PlannedFile, SkippedFile, TransferPlan
from frogml.domain.model.versions import LATEST
from frogml.domain.ports.artifact_store import (
    ArtifactStore,
    BlobIndex,
    Transaction,
    UploadItem,
    UploadReport,
)
from frogml.domain.ports.filesystem import FileSystem, HashesApart, SourceFile
from frogml.domain.ports.forecast import BeginsAhead, UploadForecast
from frogml.domain.ports.preflight import UploadPreflight
from frogml.domain.ports.progress import NULL_EVENTS, TransferEvents

__all__ = [
    "Upload",
    "UploadDatasetRequest",
    "UploadDatasetResult",
    "UploadModelRequest",
    "UploadModelResult",
    "UploadRequest",
    "UploadResult",
]


class UploadRequest(EntityAddress, frozen=True, kw_only=True):
    """What to upload: a file or a folder, and for a model its format and extras."""

    source_path: str
    properties: dict[str, str] = msgspec.field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    model_format: SerializationMetadata | None = None
    dependency_paths: tuple[str, ...] = ()
    code_archive_path: str | None = None


class UploadModelRequest(UploadRequest, frozen=True, kw_only=True):
    """An upload of a model version; its format is required."""

    kind: EntityKind = EntityKind.MODEL
    model_format: SerializationMetadata | None


class UploadDatasetRequest(UploadRequest, frozen=True, kw_only=True):
    """An upload of a dataset version."""

    kind: EntityKind = EntityKind.DATASET


class UploadResult(Value, frozen=True):
    """The published version and what the upload moved."""

    entity_version: EntityVersion
    report: UploadReport

    @property
    def model_version(self) -> ModelVersion:
        """The published version, when it is a model's."""
        return self.entity_version.narrowed(ModelVersion)

    @property
    def dataset_version(self) -> DatasetVersion:
        """The published version, when it is a dataset's."""
        return self.entity_version.narrowed(DatasetVersion)


class UploadModelResult(UploadResult, frozen=True):
    """A model upload's result: the published model version and what the upload moved."""

    entity_version: ModelVersion


class UploadDatasetResult(UploadResult, frozen=True):
    """A dataset upload's result: the published dataset version and what the upload moved."""

    entity_version: DatasetVersion


@dataclass(frozen=True)
class _Prepared:
    ref: EntityRef
    properties: dict[str, str]
    items: list[UploadItem]
    skipped: list[SkippedFile]
    links: dict[str, str]


def artifact_of(source: SourceFile) -> Artifact:
    """The manifest entry describing ``source``."""
    return Artifact(artifact_path=source.rel_path, size=source.size, sha256=source.sha256)


class Upload:
    """Publish a model or dataset version.

    Rules:
    - names, version and properties are checked before anything is read or sent;
      ``latest`` is no version name (it names the newest version when reading);
    - a model needs its format; a dataset has none, nor dependency files nor a code
      archive (what each kind holds is stated once, in :mod:`frogml.domain.model.kind`);
    - the source is one file or a folder; the ignore list, the folder's
      ``.frogmlignore`` and the ``include``/``exclude`` patterns (gitignore syntax)
      choose its files; an empty selection, a missing path, or a folder given as a
      dependency or code archive is refused before anything is sent;
    - file names are kept as they are (names differing only by case are distinct, as
      in Artifactory); two names differing only by Unicode normalization, or a name
      that is not valid UTF-8, are refused before anything is sent;
    - dependency files must have distinct names;
    - the version is published only when every file is stored (all or nothing): any
      failure after the transaction began aborts it;
    - publishing an existing version is refused (AlreadyExistsError), with a hint when
      the version was the default one (the upload time, to the second);
    - the manifest's ``created_date`` is the transaction's start time;
    - links to files and folders are followed; what cannot be uploaded (special or
      unreadable files, link loops) is refused before anything is sent (the filesystem
      port names them all);
    - :meth:`plan` reports what would be sent, deduplicated and left out, sending nothing,
      each file reached through a link marked with the real file; it is a preflight:
      it checks what the upload checks before sending, and asks a store that can
      (UploadPreflight) what beginning the transaction would refuse (credentials,
      repository, a version already published, a store that cannot be written).
    """

    def __init__(
        self, *, store: ArtifactStore, filesystem: FileSystem, blobs: BlobIndex | None = None
    ) -> None:
        self._store = store
        self._filesystem = filesystem
        self._blobs = blobs

    @overload
    def __call__(
        self, request: UploadModelRequest, events: TransferEvents = ...
    ) -> UploadModelResult: ...
    @overload
    def __call__(
        self, request: UploadDatasetRequest, events: TransferEvents = ...
    ) -> UploadDatasetResult: ...
    @overload
    def __call__(self, request: UploadRequest, events: TransferEvents = ...) -> UploadResult: ...
    def __call__(
        self, request: UploadRequest, events: TransferEvents = NULL_EVENTS
    ) -> UploadResult:
        if isinstance(self._filesystem, HashesApart):
            prepared = self._prepare_apart(request, self._filesystem)
        else:
            prepared = self._prepare(request)
            self._forecast(item.source.size for item in prepared.items)
        transaction = self._begin(prepared.ref)
        try:
            manifest = build_manifest(
                request.kind,
                created_date=_created_date(transaction),
                entries=[(item.area, artifact_of(item.source)) for item in prepared.items],
                model_format=request.model_format,
            )
            events.started(
                files=len(prepared.items), total_bytes=sum(i.source.size for i in prepared.items)
            )
            try:
                report = self._store.upload(transaction, prepared.items, events)
            finally:
                events.finished()
            self._store.commit(transaction, manifest, prepared.properties)
        except BaseException:
            self._store.abort(transaction)
            raise
        published = EntityVersion.of(transaction.ref, manifest, prepared.properties)
        return _result(published, report)

    def plan(self, request: UploadRequest) -> TransferPlan:
        """What :meth:`__call__` would send; ``reuse_known`` is false without a BlobIndex."""
        prepared = self._prepare(request)
        if isinstance(self._store, UploadPreflight):
            self._store.check_upload(prepared.ref)
        items, blobs = prepared.items, self._blobs
        held = set() if blobs is None else blobs.stored_blobs({i.source.sha256 for i in items})
        links = prepared.links
        planned = [(i.source.sha256 in held, _planned(i, links)) for i in items]
        return TransferPlan(
            ref=prepared.ref,
            direction="upload",
            transfer=tuple(p for known, p in planned if not known),
            reuse=tuple(p for known, p in planned if known),
            skipped=tuple(prepared.skipped),
            reuse_known=blobs is not None,
        )

    def _prepare(self, request: UploadRequest) -> _Prepared:
        ref, properties = _checked(request)
        selection = self._filesystem.select(request.source_path, _rules(request))
        check_distinct((f.rel_path for f in selection.files), what="the source")
        items = [UploadItem(area=Area.FILES, source=f) for f in selection.files]
        extras = self._extras(request)
        if extras:
            _check_extras_apart([item.source.rel_path for item in items], extras)
        items += extras
        return _Prepared(ref, properties, items, selection.skipped, selection.links)

    def _prepare_apart(self, request: UploadRequest, filesystem: HashesApart) -> _Prepared:
        """:meth:`_prepare`, telling the store what comes (UploadForecast, BeginsAhead)
        before the files are hashed instead of after: once the source is checked and
        listed, nothing is left to refuse before sending, and the store may start the
        transaction (round trips, and a handshake on a new connection) while a big file
        is hashed, which takes as long. A file that cannot be hashed after all (it
        changed since the scan) cancels the transaction begun ahead."""
        ref, properties = _checked(request)
        scanned = filesystem.scan_first(request.source_path, _rules(request))
        check_distinct(scanned.rel_paths, what="the source")
        extras = self._extras(request)
        if extras:
            _check_extras_apart(scanned.rel_paths, extras)
        self._forecast(itertools.chain(scanned.sizes(), (e.source.size for e in extras)))
        ahead = self._store if isinstance(self._store, BeginsAhead) else None
        if ahead is not None:
            ahead.begin_ahead(ref)
        try:
            selection = scanned.hashed()
        except BaseException:
            if ahead is not None:
                ahead.cancel_ahead()
            raise
        items = [UploadItem(area=Area.FILES, source=f) for f in selection.files]
        return _Prepared(ref, properties, [*items, *extras], selection.skipped, selection.links)

    def _forecast(self, sizes: Iterable[int]) -> None:
        if isinstance(self._store, UploadForecast):  # it prepares while the upload begins
            self._store.expect_upload(sizes)

    def _extras(self, request: UploadRequest) -> list[UploadItem]:
        single = self._filesystem.single_file
        dependencies = [single(p, role="dependency file") for p in request.dependency_paths]
        names = [d.rel_path for d in dependencies]
        if len(set(names)) != len(names):
            raise ValidationError(
                "two dependency files have the same name", field="dependencies_files_paths"
            )
        items = [UploadItem(area=Area.DEPENDENCIES, source=d) for d in dependencies]
        if request.code_archive_path is not None:
            code = single(request.code_archive_path, role="code archive")
            items.append(UploadItem(area=Area.CODE, source=code))
        return items

    def _begin(self, ref: EntityRef) -> Transaction:
        try:
            return self._store.begin(ref)
        except AlreadyExistsError as exc:
            if ref.version is not None:
                raise
            raise AlreadyExistsError(
                f"{exc.message} (the default version is the upload time, to the second)",
                what=exc.what,
                hint="give a version, or upload again a second later",
            ) from exc


_ROLES = {Area.DEPENDENCIES: "dependency file", Area.CODE: "code archive"}


def _checked(request: UploadRequest) -> tuple[EntityRef, dict[str, str]]:
    """The request's address and properties, once everything checked before reading
    the source holds (names, version, properties, kind)."""
    ref = request.ref
    properties = check_properties(request.properties)
    _check_version(request)
    _check_kind(request)
    return ref, properties


def _rules(request: UploadRequest) -> PathRules:
    return PathRules(include=request.include, exclude=request.exclude)


def _check_extras_apart(files: Sequence[str], extras: Sequence[UploadItem]) -> None:
    """A download puts dependency files in ``dependencies/`` and the code archive in
    ``code/`` beside the model's files: a source file already there (a folder that was
    downloaded with them, uploaded again) would be the same local file, and no download
    with them could ever succeed. Refused before anything is sent."""
    # Case folded: a download onto a disk that ignores case (macOS, Windows) must work too.
    local = {same_file_key(rel_path) for rel_path in files}
    for extra in extras:
        path = extra.area.local_path(extra.source.rel_path)
        if same_file_key(path) in local:
            folder = extra.area.local_folder
            raise ValidationError(
                f"the source holds {path!r}, where a download puts the "
                f"{_ROLES[extra.area]} {extra.source.rel_path!r}",
                field="source_path",
                hint=f"leave the source's {folder}/ folder out (--exclude '{folder}/') "
                "or rename the file",
            )
    check_distinct(
        [*files, *(item.area.local_path(item.source.rel_path) for item in extras)],
        what="the downloaded version's files",
    )


def _check_version(request: UploadRequest) -> None:
    if request.version == LATEST:
        raise ValidationError(
            f"'{LATEST}' cannot be published as a version: reading, it names the newest one",
            field="version",
            hint="choose another version name",
        )


def _check_kind(request: UploadRequest) -> None:
    kind = request.kind
    # The request's class promises its result's type (UploadModelResult, ...).
    for cls, own in (
        (UploadModelRequest, EntityKind.MODEL),
        (UploadDatasetRequest, EntityKind.DATASET),
    ):
        if isinstance(request, cls) and kind is not own:
            raise ValidationError(
                f"an {cls.__name__} is of kind {own.value}, not {kind.value}",
                field="kind",
                hint="leave its kind out",
            )
    if kind.has_format and request.model_format is None:
        raise ValidationError(f"a {kind.value} needs its format", field="model_type")
    if not kind.has_format and request.model_format is not None:
        raise ValidationError(f"a {kind.value} has no model format", field="model_type")
    extras = [
        (Area.DEPENDENCIES, bool(request.dependency_paths)),
        (Area.CODE, request.code_archive_path is not None),
    ]
    for area, given in extras:
        if given and area not in kind.areas:
            raise ValidationError(f"a {kind.value} has no {area.value} files", field=area.value)


def _result(published: EntityVersion, report: UploadReport) -> UploadResult:
    """The result of the published version's kind."""
    if isinstance(published, ModelVersion):
        return UploadModelResult(entity_version=published, report=report)
    if isinstance(published, DatasetVersion):
        return UploadDatasetResult(entity_version=published, report=report)
    return UploadResult(entity_version=published, report=report)


def _created_date(transaction: Transaction) -> str:
    return format_created_date(transaction.started_at)


def _planned(item: UploadItem, links: dict[str, str]) -> PlannedFile:
    path = item.source.rel_path
    link = links.get(path) if item.area is Area.FILES else None
    return PlannedFile(path=path, size=item.source.size, area=item.area.value, link=link)
