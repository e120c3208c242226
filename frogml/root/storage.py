"""FrogMLStorage: the library's front door, with the signatures of JFrog's client.

The request-level methods (``upload``, ``download``, ``plan_*``) and the generic reads
(``get_info``, ``list_versions``, ``list_entities``) take the entity kind as a value;
the JFrog-compatible methods (``upload_model_version``, ...) build their requests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from frogml.domain.errors import ValidationError
from frogml.domain.model.entity import (
    DatasetVersion,
    EntityKind,
    EntityRef,
    EntityVersion,
    ModelVersion,
    VersionSummary,
)
from frogml.domain.model.manifest_json import manifest_to_dict
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.model.plan import TransferPlan
from frogml.domain.model.settings import TransferSettings
from frogml.domain.ports.artifact_store import ArtifactStore, BlobIndex
from frogml.domain.ports.clock import Clock
from frogml.domain.ports.filesystem import FileSystem
from frogml.domain.ports.progress import NULL_EVENTS, TransferEvents
from frogml.domain.services.download import (
    Download,
    DownloadDatasetRequest,
    DownloadModelRequest,
    DownloadRequest,
    DownloadResult,
)
from frogml.domain.services.get_info import GetInfo
from frogml.domain.services.list_entities import EntityListing, ListEntities
from frogml.domain.services.list_versions import ListVersions
from frogml.domain.services.upload import (
    Upload,
    UploadDatasetRequest,
    UploadDatasetResult,
    UploadModelRequest,
    UploadModelResult,
    UploadRequest,
    UploadResult,
)
from frogml.root.arguments import (
    PathArg,
    Patterns,
    download_request,
    kind_of,
    one_path_of,
    optional_path,
    path_of,
    paths_of,
    upload_request,
)
from frogml.root.auth import AuthConfig
from frogml.root.bootstrap import bootstrap
from frogml.root.maintenance import Maintenance

__all__ = ["FrogMLStorage"]

Kind = EntityKind | str


class FrogMLStorage(Maintenance):
    """Upload and download model and dataset versions.

    With no argument it uses, in order: ``JF_URL``/``JF_ACCESS_TOKEN`` (``JF_URL`` alone
    with the login ``frogml login`` saved for that server, if any), the server saved by
    ``frogml login``, else the embedded local store; ``server_id=`` picks one of the
    logins ``frogml login`` saved instead (it wins over ``JF_URL``). Wherever a version is
    read (download, info), ``"latest"`` means the newest one. Every adapter can be replaced
    (``store=``, ``filesystem=``, ``clock=``), e.g. with ``frogml.adapters.memory`` in
    tests. Downloads from Artifactory go through a shared cache of file contents (under
    ``$FROGML_CACHE_DIR``, else ``~/.cache/frogml``); ``download_cache=False`` or
    ``FROGML_NO_CACHE=1`` bypasses it. ``settings`` (timeout, proxy, CA bundle, TLS
    verification, threads) win over the environment's ``JFML_*`` and proxy variables.

    ``require_server=True`` (default: ``FROGML_REQUIRE_SERVER``) refuses to fall back to
    the embedded store (ConfigurationError); otherwise ``fallback_store`` names the
    embedded store's folder when it was chosen because no server is configured. The
    library prints nothing: it logs to the ``frogml`` logger, which has a NullHandler.
    """

    def __init__(
        self,
        login_config: AuthConfig | None = None,
        *,
        store: ArtifactStore | None = None,
        filesystem: FileSystem | None = None,
        clock: Clock | None = None,
        env: Mapping[str, str] | None = None,
        download_cache: bool = True,
        settings: TransferSettings | None = None,
        server_id: str | None = None,
        require_server: bool | None = None,
    ) -> None:
        explicit = None if login_config is None else login_config.to_credentials()
        parts = bootstrap(
            explicit,
            env=env,
            store=store,
            filesystem=filesystem,
            clock=clock,
            download_cache=download_cache,
            settings=settings,
            server_id=server_id,
            require_server=require_server,
        )
        self._store = parts.store
        self._filesystem = parts.filesystem
        self._blobs = parts.store if isinstance(parts.store, BlobIndex) else None
        self.location = parts.location
        self.credentials = parts.credentials
        fallback = parts.fallback_store
        self.fallback_store: str | None = None if fallback is None else str(fallback)

    def __repr__(self) -> str:
        return f"FrogMLStorage({self.location!r})"

    def close(self) -> None:
        """Release what the store holds open (Artifactory's pooled connections); the
        storage must not be used afterwards. ``with FrogMLStorage() as storage:`` closes too."""
        self._store.close()

    def __enter__(self) -> FrogMLStorage:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the request level: one use case each, for models and datasets alike ----------

    def upload(
        self, request: UploadRequest, *, progress: TransferEvents = NULL_EVENTS
    ) -> UploadResult:
        """Publish a version; the result also tells what the upload moved."""
        return Upload(store=self._store, filesystem=self._filesystem)(request, progress)

    def download(
        self, request: DownloadRequest, *, progress: TransferEvents = NULL_EVENTS
    ) -> DownloadResult:
        """Write a version into ``request.target_path``, every byte verified."""
        download = Download(store=self._store, filesystem=self._filesystem)
        return download(self._resolved_request(request), progress)

    def upload_model(
        self, request: UploadModelRequest, *, progress: TransferEvents = NULL_EVENTS
    ) -> UploadModelResult:
        """:meth:`upload` for a model request; a dataset's is refused (ValidationError)."""
        _check_kind(request, EntityKind.MODEL, "upload_model", "UploadModelRequest")
        return Upload(store=self._store, filesystem=self._filesystem)(request, progress)

    def upload_dataset(
        self, request: UploadDatasetRequest, *, progress: TransferEvents = NULL_EVENTS
    ) -> UploadDatasetResult:
        """:meth:`upload` for a dataset request; a model's is refused (ValidationError)."""
        _check_kind(request, EntityKind.DATASET, "upload_dataset", "UploadDatasetRequest")
        return Upload(store=self._store, filesystem=self._filesystem)(request, progress)

    def download_model(
        self, request: DownloadModelRequest, *, progress: TransferEvents = NULL_EVENTS
    ) -> DownloadResult:
        """:meth:`download` for a model request; a dataset's is refused (ValidationError)."""
        _check_kind(request, EntityKind.MODEL, "download_model", "DownloadModelRequest")
        return self.download(request, progress=progress)

    def download_dataset(
        self, request: DownloadDatasetRequest, *, progress: TransferEvents = NULL_EVENTS
    ) -> DownloadResult:
        """:meth:`download` for a dataset request; a model's is refused (ValidationError)."""
        _check_kind(request, EntityKind.DATASET, "download_dataset", "DownloadDatasetRequest")
        return self.download(request, progress=progress)

    def plan_upload(self, request: UploadRequest) -> TransferPlan:
        """What :meth:`upload` would send, deduplicate and leave out."""
        upload = Upload(store=self._store, filesystem=self._filesystem, blobs=self._blobs)
        return upload.plan(request)

    def plan_download(self, request: DownloadRequest) -> TransferPlan:
        """What :meth:`download` would fetch, keep, replace and leave out, checking what
        the download checks first (the version, the target); ``plan.refusal(overwrite=...)``
        is the error the download would raise for the files it would replace."""
        download = Download(store=self._store, filesystem=self._filesystem)
        return download.plan(self._resolved_request(request))

    def get_info(
        self, kind: Kind, repository: str, name: str, version: str, namespace: str | None = None
    ) -> EntityVersion:
        """The manifest and properties of a published version."""
        ref = EntityRef(
            repository=repository,
            kind=kind_of(kind),
            name=name,
            namespace=namespace,
            version=version,
        )
        return GetInfo(store=self._store)(self.resolved(ref))

    def list_versions(
        self, kind: Kind, repository: str, name: str, namespace: str | None = None
    ) -> list[VersionSummary]:
        """Published versions of a model or dataset, newest first."""
        ref = EntityRef(repository=repository, kind=kind_of(kind), name=name, namespace=namespace)
        return ListVersions(store=self._store)(ref)

    def list_entities(self, kind: Kind, repository: str) -> list[EntityListing]:
        """The models or datasets of ``repository`` that have a published version, sorted."""
        return ListEntities(store=self._store)(repository, kind_of(kind))

    # -- JFrog's signatures, each building a request for the methods above ------------

    def upload_model_version(
        self,
        repository: str,
        model_name: str,
        model_path: PathArg,
        model_type: SerializationMetadata | Mapping[str, Any],
        namespace: str | None = None,
        version: str | None = None,
        properties: Mapping[str, str] | None = None,
        dependencies_files_paths: PathArg | Sequence[PathArg] | None = None,
        code_archive_file_path: PathArg | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> ModelVersion:
        """Publish ``model_path`` (a file or folder) as a new, immutable model version.

        ``include``/``exclude`` are gitignore-style patterns choosing the files of a
        folder; its ``.frogmlignore`` file is honoured too.
        """
        request = upload_request(
            EntityKind.MODEL,
            repository,
            model_name,
            path_of(model_path, "model_path"),
            namespace,
            version,
            properties,
            include=include,
            exclude=exclude,
            model_format=SerializationMetadata.coerce(model_type),
            dependency_paths=paths_of(dependencies_files_paths, "dependencies_files_paths"),
            code_archive_path=optional_path(code_archive_file_path, "code_archive_file_path"),
        )
        return self.upload(request, progress=progress).model_version

    def upload_dataset_version(
        self,
        repository: str,
        dataset_name: str,
        source_path: PathArg | None = None,
        namespace: str | None = None,
        version: str | None = None,
        properties: Mapping[str, str] | None = None,
        *,
        dataset_path: PathArg | None = None,
        progress: TransferEvents = NULL_EVENTS,
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> DatasetVersion:
        """Publish ``source_path`` (a file or folder) as a new, immutable dataset version.

        ``dataset_path=`` is JFrog's client's name for ``source_path``; give one of them.
        """
        source = one_path_of(source_path=source_path, dataset_path=dataset_path)
        request = upload_request(
            EntityKind.DATASET,
            repository,
            dataset_name,
            source,
            namespace,
            version,
            properties,
            include=include,
            exclude=exclude,
        )
        return self.upload(request, progress=progress).dataset_version

    def download_model_version(
        self,
        repository: str,
        model_name: str,
        version: str,
        target_path: PathArg,
        namespace: str | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
        include: Patterns = None,
        exclude: Patterns = None,
        with_dependencies: bool = False,
        with_code: bool = False,
        overwrite: bool = False,
    ) -> DownloadResult:
        """Write a model version's files into ``target_path``, every byte verified; its
        dependency files and code archive too when asked for, under ``dependencies/`` and
        ``code/``. ``include``/``exclude`` patterns match those local paths.

        Files already there with the version's bytes are kept. Files with other bytes (or
        a file or empty folder in the way) are replaced only with ``overwrite=True``;
        otherwise nothing is written and TargetConflictError names them."""
        args = (repository, model_name, version, target_path, namespace)
        request = download_request(
            EntityKind.MODEL,
            *args,
            include=include,
            exclude=exclude,
            with_dependencies=with_dependencies,
            with_code=with_code,
            overwrite=overwrite,
        )
        return self.download(request, progress=progress)

    def download_dataset_version(
        self,
        repository: str,
        dataset_name: str,
        version: str,
        target_path: PathArg,
        namespace: str | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
        include: Patterns = None,
        exclude: Patterns = None,
        overwrite: bool = False,
    ) -> DownloadResult:
        """Write a dataset version into ``target_path``, every byte verified; files with
        other bytes there are replaced only with ``overwrite=True`` (as for models)."""
        args = (repository, dataset_name, version, target_path, namespace)
        request = download_request(
            EntityKind.DATASET, *args, include=include, exclude=exclude, overwrite=overwrite
        )
        return self.download(request, progress=progress)

    def get_model_info(
        self, repository: str, model_name: str, version: str, namespace: str | None = None
    ) -> ModelVersion:
        """The manifest and properties of a published model version."""
        found = self.get_info(EntityKind.MODEL, repository, model_name, version, namespace)
        return found.narrowed(ModelVersion)

    def get_dataset_info(
        self, repository: str, dataset_name: str, version: str, namespace: str | None = None
    ) -> DatasetVersion:
        """The manifest and properties of a published dataset version."""
        found = self.get_info(EntityKind.DATASET, repository, dataset_name, version, namespace)
        return found.narrowed(DatasetVersion)

    def get_entity_manifest(
        self,
        entity_type: Kind,
        repository: str,
        namespace: str | None,
        entity_name: str,
        version: str | None,
    ) -> dict[str, Any]:
        """A published version's manifest as a dict, in the protocol's field names
        (JFrog's client's call; ``entity_type`` is ``"model"`` or ``"dataset"``)."""
        if version is None:
            raise ValidationError("get_entity_manifest needs a version", field="version")
        ref = EntityRef(
            repository=repository,
            kind=kind_of(entity_type),
            name=entity_name,
            namespace=namespace,
            version=version,
        )
        return manifest_to_dict(GetInfo(store=self._store).manifest(self.resolved(ref)))

    def list_model_versions(
        self, repository: str, model_name: str, namespace: str | None = None
    ) -> list[VersionSummary]:
        """Published versions of a model, newest first."""
        return self.list_versions(EntityKind.MODEL, repository, model_name, namespace)

    def list_dataset_versions(
        self, repository: str, dataset_name: str, namespace: str | None = None
    ) -> list[VersionSummary]:
        """Published versions of a dataset, newest first."""
        return self.list_versions(EntityKind.DATASET, repository, dataset_name, namespace)

    def list_models(self, repository: str) -> list[EntityListing]:
        """The models of ``repository`` that have a published version, sorted."""
        return self.list_entities(EntityKind.MODEL, repository)

    def list_datasets(self, repository: str) -> list[EntityListing]:
        """The datasets of ``repository`` that have a published version, sorted."""
        return self.list_entities(EntityKind.DATASET, repository)


def _check_kind(
    request: UploadRequest | DownloadRequest, kind: EntityKind, method: str, expected: str
) -> None:
    """Refuse a request of the other kind given to a kind's own method."""
    if request.kind is not kind:
        other = "model" if kind is EntityKind.DATASET else "dataset"
        raise ValidationError(
            f"{method}() takes a {kind.value} request ({expected}), not a {request.kind.value} one",
            field="request",
            hint=f"use {method.replace(kind.value, other)}() for a {other} request",
        )
