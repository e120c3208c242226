"""Use case: download a model version."""

from __future__ import annotations

from domain.errors import ProtocolError
from domain.model.base import Value
from domain.model.entity import EntityKind, EntityRef
from domain.model.manifest import Artifact, ModelInfo
from domain.ports.artifact_store import Area, ArtifactStore, areas_of
from domain.ports.filesystem import FileSystem
from domain.ports.progress import NULL_EVENTS, TransferEvents
from domain.services._fetch import DownloadResult, fetch

__all__ = ["CODE_FOLDER", "DEPENDENCIES_FOLDER", "DownloadModel", "DownloadModelRequest"]

DEPENDENCIES_FOLDER = "dependencies"
CODE_FOLDER = "code"


class DownloadModelRequest(Value, frozen=True):
    """Which version to fetch and where to write it."""

    repository: str
    name: str
    version: str
    target_path: str
    namespace: str | None = None


class DownloadModel:
    """Download a model version into a folder.

    Rules:
    - model files land at ``target/<artifact_path>``; dependency files under
      ``target/dependencies/``; the code archive under ``target/code/``;
    - the manifest is untrusted: paths that would escape the target or collide are
      refused before anything is written;
    - every byte is verified against the manifest's SHA-256 before it appears under its
      final name; a file already present is kept only when its hash matches.
    """

    def __init__(self, *, store: ArtifactStore, filesystem: FileSystem) -> None:
        self._store = store
        self._filesystem = filesystem

    def __call__(
        self, request: DownloadModelRequest, events: TransferEvents = NULL_EVENTS
    ) -> DownloadResult:
        ref = EntityRef(
            repository=request.repository,
            kind=EntityKind.MODEL,
            name=request.name,
            namespace=request.namespace,
            version=request.version,
        )
        manifest = self._store.read_version(ref).manifest
        if not isinstance(manifest, ModelInfo):
            raise ProtocolError(f"{ref.describe()} has no model manifest")
        folders = {
            Area.FILES: "",
            Area.DEPENDENCIES: f"{DEPENDENCIES_FOLDER}/",
            Area.CODE: f"{CODE_FOLDER}/",
        }
        plan: list[tuple[str, Area, Artifact]] = [
            (folders[area] + a.artifact_path, area, a) for area, a in areas_of(manifest)
        ]
        return fetch(self._store, self._filesystem, ref, plan, request.target_path, events)
