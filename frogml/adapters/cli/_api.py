"""What the CLI needs from the library, as Protocols the composition root fulfils.

The CLI is a driving adapter: it must not import the composition root nor other
adapters, so the root injects factories of objects shaped like these. Domain types are
imported for the type checker only, so that ``frogml --help`` loads neither msgspec nor
the use cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from frogml.domain.model.entity import EntityVersion, VersionSummary
    from frogml.domain.model.health import HealthCheck
    from frogml.domain.model.kind import EntityKind
    from frogml.domain.model.plan import TransferPlan
    from frogml.domain.model.repository import RepositoryListing
    from frogml.domain.ports.garbage import GarbageReport
    from frogml.domain.ports.progress import TransferEvents
    from frogml.domain.services.delete_version import DeletedVersion
    from frogml.domain.services.download import DownloadRequest, DownloadResult
    from frogml.domain.services.list_entities import EntityListing
    from frogml.domain.services.upload import UploadRequest, UploadResult

__all__ = ["CliServices", "StorageApi"]


class StorageApi(Protocol):
    """The subset of ``frogml.FrogMLStorage`` the CLI calls: every use case, by kind."""

    location: str
    fallback_store: str | None
    """The embedded store's folder when it is used because no server is configured."""

    def upload(self, request: UploadRequest, *, progress: TransferEvents = ...) -> UploadResult: ...

    def download(
        self, request: DownloadRequest, *, progress: TransferEvents = ...
    ) -> DownloadResult: ...

    def plan_upload(self, request: UploadRequest) -> TransferPlan: ...

    def plan_download(self, request: DownloadRequest) -> TransferPlan: ...

    def get_info(
        self, kind: EntityKind, repository: str, name: str, version: str, namespace: str | None
    ) -> EntityVersion: ...

    def list_versions(
        self, kind: EntityKind, repository: str, name: str, namespace: str | None
    ) -> list[VersionSummary]: ...

    def list_entities(self, kind: EntityKind, repository: str) -> list[EntityListing]: ...

    def delete_version(
        self,
        kind: EntityKind,
        repository: str,
        name: str,
        version: str,
        namespace: str | None,
        *,
        dry_run: bool = ...,
    ) -> DeletedVersion: ...

    def list_repositories(self) -> list[RepositoryListing]: ...


@dataclass(frozen=True)
class CliServices:
    """Everything the composition root injects into the CLI.

    Factories read this run's network options with
    :func:`frogml.adapters.cli.current_settings` (a typed
    :class:`~frogml.domain.model.settings.TransferSettings`). ``doctor`` runs the checks
    of ``frogml doctor`` (None: the command is not offered).
    """

    make_storage: Callable[[], StorageApi]
    version: str
    doctor: Callable[[], Sequence[HealthCheck]] | None = None
    collect_garbage: Callable[[bool], GarbageReport] | None = None
    """``frogml gc``: cleans the embedded store (argument: dry run); None: not offered."""
