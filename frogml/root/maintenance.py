"""What FrogMLStorage offers besides transfers: deleting versions, listing repositories,
resolving ``latest``, cleaning the embedded store."""

from __future__ import annotations

import msgspec

from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.repository import RepositoryListing
from frogml.domain.model.versions import LATEST
from frogml.domain.ports.artifact_store import ArtifactStore
from frogml.domain.ports.garbage import GarbageReport
from frogml.domain.services.collect_garbage import CollectGarbage
from frogml.domain.services.delete_version import DeletedVersion, DeleteVersion
from frogml.domain.services.download import DownloadRequest
from frogml.domain.services.list_repositories import ListRepositories
from frogml.domain.services.resolve_version import ResolveVersion
from frogml.root.arguments import kind_of

__all__ = ["Maintenance"]


class Maintenance:
    """Mixed into :class:`~frogml.FrogMLStorage`, over the same store."""

    _store: ArtifactStore

    def delete_version(
        self,
        kind: EntityKind | str,
        repository: str,
        name: str,
        version: str,
        namespace: str | None = None,
        *,
        dry_run: bool = False,
    ) -> DeletedVersion:
        """Delete a published version (its files, manifest and properties); its name may
        then be published again. ``latest`` is refused: name the version. ``dry_run``
        checks everything and deletes nothing."""
        ref = EntityRef(
            repository=repository,
            kind=kind_of(kind),
            name=name,
            namespace=namespace,
            version=version,
        )
        return DeleteVersion(store=self._store)(ref, dry_run=dry_run)

    def delete_model_version(
        self, repository: str, model_name: str, version: str, namespace: str | None = None
    ) -> DeletedVersion:
        """Delete a published model version."""
        return self.delete_version(EntityKind.MODEL, repository, model_name, version, namespace)

    def delete_dataset_version(
        self, repository: str, dataset_name: str, version: str, namespace: str | None = None
    ) -> DeletedVersion:
        """Delete a published dataset version."""
        return self.delete_version(EntityKind.DATASET, repository, dataset_name, version, namespace)

    def list_repositories(self) -> list[RepositoryListing]:
        """The machine-learning repositories of the server (those the credentials may
        see), or of the embedded store, sorted by key."""
        return ListRepositories(store=self._store)()

    def collect_garbage(self, *, dry_run: bool = False) -> GarbageReport:
        """Free what the embedded store keeps but no version needs: contents of deleted
        versions and of abandoned uploads (older than a day), never those of an upload in
        progress. ``dry_run`` only reports. A server store raises ValidationError."""
        return CollectGarbage(store=self._store)(dry_run=dry_run)

    def resolved(self, ref: EntityRef) -> EntityRef:
        """``ref`` with ``latest`` replaced by the newest version's name (by creation time)."""
        return ResolveVersion(store=self._store)(ref)

    def _resolved_request(self, request: DownloadRequest) -> DownloadRequest:
        if request.version != LATEST:
            return request
        version = self.resolved(request.ref).version
        return msgspec.structs.replace(request, version=version)
