"""Use case: download a model version."""

from __future__ import annotations

from frogml.domain.errors import ProtocolError
from frogml.domain.model.base import Value
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.manifest import Artifact, ModelInfo
from frogml.domain.model.plan import SkippedFile, TransferPlan
from frogml.domain.ports.artifact_store import Area, ArtifactStore
from frogml.domain.ports.filesystem import FileSystem
from frogml.domain.ports.progress import NULL_EVENTS, TransferEvents
from frogml.domain.services._fetch import DownloadResult, fetch
from frogml.domain.services._plan import filter_download, plan_download

__all__ = ["CODE_FOLDER", "DEPENDENCIES_FOLDER", "DownloadModel", "DownloadModelRequest"]

DEPENDENCIES_FOLDER = "dependencies"
CODE_FOLDER = "code"

_Plan = list[tuple[str, Area, Artifact]]


class DownloadModelRequest(Value, frozen=True):
    """Which version to fetch, where to write it, and which files to take."""

    repository: str
    name: str
    version: str
    target_path: str
    namespace: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


class DownloadModel:
    """Download a model version into a folder.

    Rules:
    - model files land at ``target/<artifact_path>``; dependency files under
      ``target/dependencies/``; the code archive under ``target/code/``;
    - ``include``/``exclude`` patterns (gitignore syntax) match those local paths; a
      file they leave out is neither downloaded nor touched;
    - the manifest is untrusted: paths that would escape the target or collide are
      refused before anything is written;
    - every byte is verified against the manifest's SHA-256 before it appears under its
      final name; a file already present is kept only when its hash matches;
    - :meth:`plan` reports the same decisions and writes nothing.
    """

    def __init__(self, *, store: ArtifactStore, filesystem: FileSystem) -> None:
        self._store = store
        self._filesystem = filesystem

    def __call__(
        self, request: DownloadModelRequest, events: TransferEvents = NULL_EVENTS
    ) -> DownloadResult:
        ref, plan, skipped = self._selected(request)
        return fetch(
            self._store, self._filesystem, ref, plan, request.target_path, events, skipped=skipped
        )

    def plan(self, request: DownloadModelRequest) -> TransferPlan:
        """What :meth:`__call__` would download, reuse and leave out."""
        ref, plan, skipped = self._selected(request)
        return plan_download(self._filesystem, ref, plan, skipped, request.target_path)

    def _selected(
        self, request: DownloadModelRequest
    ) -> tuple[EntityRef, _Plan, list[SkippedFile]]:
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
        plan: _Plan = [(a.artifact_path, Area.FILES, a) for a in manifest.model_artifacts]
        plan += [
            (f"{DEPENDENCIES_FOLDER}/{a.artifact_path}", Area.DEPENDENCIES, a)
            for a in manifest.dependency_artifacts
        ]
        if manifest.code_artifact is not None:
            code = manifest.code_artifact
            plan.append((f"{CODE_FOLDER}/{code.artifact_path}", Area.CODE, code))
        kept, skipped = filter_download(plan, request.include, request.exclude)
        return ref, kept, skipped
