"""FrogMLStorage: the library's front door, with the signatures of JFrog's client.

Each transfer has a request-level method (``upload_model(UploadModelRequest)``, ...)
and a JFrog-compatible wrapper that builds the request from keyword arguments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from frogml.domain.model.entity import DatasetVersion, ModelVersion
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.ports.artifact_store import ArtifactStore
from frogml.domain.ports.clock import Clock
from frogml.domain.ports.filesystem import FileSystem
from frogml.domain.ports.progress import NULL_EVENTS, TransferEvents
from frogml.domain.services._fetch import DownloadResult
from frogml.root._planning import Planning
from frogml.root._reading import Reading
from frogml.root._transfers import Transfers
from frogml.root.arguments import (
    dataset_download_request,
    dataset_upload_request,
    model_download_request,
    model_upload_request,
)
from frogml.root.auth import AuthConfig
from frogml.root.bootstrap import bootstrap

__all__ = ["FrogMLStorage"]

Patterns = str | Sequence[str] | None


class FrogMLStorage(Transfers, Planning, Reading):
    """Upload and download model and dataset versions.

    With no argument it uses, in order: ``JF_URL``/``JF_ACCESS_TOKEN``, the server saved
    by ``frogml login``, else the embedded local store. Every adapter can be replaced
    (``store=``, ``filesystem=``, ``clock=``), e.g. with ``frogml.adapters.memory`` in tests.
    Downloads from Artifactory go through a shared cache of file contents (under
    ``$FROGML_CACHE_DIR``, else ``~/.cache/frogml``); ``download_cache=False`` or
    ``FROGML_NO_CACHE=1`` bypasses it.
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
    ) -> None:
        explicit = None if login_config is None else login_config.to_credentials()
        parts = bootstrap(
            explicit,
            env=env,
            store=store,
            filesystem=filesystem,
            clock=clock,
            download_cache=download_cache,
        )
        self._store = parts.store
        self._filesystem = parts.filesystem
        self.location = parts.location
        self.credentials = parts.credentials

    def __repr__(self) -> str:
        return f"FrogMLStorage({self.location!r})"

    def close(self) -> None:
        """Release what the store holds open (Artifactory's pooled connections); the
        storage must not be used afterwards. ``with FrogMLStorage() as storage:`` closes too."""
        close = getattr(self._store, "close", None)
        if callable(close):
            close()

    def __enter__(self) -> FrogMLStorage:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # JFrog's signatures, each a thin wrapper over a request-level method of Transfers.

    def upload_model_version(
        self,
        repository: str,
        model_name: str,
        model_path: str,
        model_type: SerializationMetadata | Mapping[str, Any],
        namespace: str | None = None,
        version: str | None = None,
        properties: Mapping[str, str] | None = None,
        dependencies_files_paths: Sequence[str] | None = None,
        code_archive_file_path: str | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> ModelVersion:
        """Publish ``model_path`` (a file or folder) as a new, immutable model version.

        ``include``/``exclude`` are gitignore-style patterns choosing the files of a
        folder; its ``.frogmlignore`` file is honoured too.
        """
        request = model_upload_request(
            repository,
            model_name,
            model_path,
            model_type,
            namespace,
            version,
            properties,
            dependencies_files_paths,
            code_archive_file_path,
            include=include,
            exclude=exclude,
        )
        return self.upload_model(request, progress=progress).model_version

    def download_model_version(
        self,
        repository: str,
        model_name: str,
        version: str,
        target_path: str,
        namespace: str | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> DownloadResult:
        """Write a model version into ``target_path``, every byte verified; ``include``/
        ``exclude`` patterns match the local paths (``dependencies/…``, ``code/…``)."""
        request = model_download_request(
            repository,
            model_name,
            version,
            target_path,
            namespace,
            include=include,
            exclude=exclude,
        )
        return self.download_model(request, progress=progress)

    def upload_dataset_version(
        self,
        repository: str,
        dataset_name: str,
        source_path: str,
        namespace: str | None = None,
        version: str | None = None,
        properties: Mapping[str, str] | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> DatasetVersion:
        """Publish ``source_path`` (a file or folder) as a new, immutable dataset version."""
        request = dataset_upload_request(
            repository,
            dataset_name,
            source_path,
            namespace,
            version,
            properties,
            include=include,
            exclude=exclude,
        )
        return self.upload_dataset(request, progress=progress).dataset_version

    def download_dataset_version(
        self,
        repository: str,
        dataset_name: str,
        version: str,
        target_path: str,
        namespace: str | None = None,
        *,
        progress: TransferEvents = NULL_EVENTS,
        include: Patterns = None,
        exclude: Patterns = None,
    ) -> DownloadResult:
        """Write a dataset version into ``target_path``, every byte verified."""
        request = dataset_download_request(
            repository,
            dataset_name,
            version,
            target_path,
            namespace,
            include=include,
            exclude=exclude,
        )
        return self.download_dataset(request, progress=progress)
