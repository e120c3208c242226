"""Use case: delete a published version of a model or dataset."""

from __future__ import annotations

from frogml.domain.errors import ProtocolError, ValidationError
from frogml.domain.model.base import Value
from frogml.domain.model.entity import EntityRef
from frogml.domain.model.versions import LATEST
from frogml.domain.ports.artifact_store import ArtifactStore

__all__ = ["DeleteVersion", "DeletedVersion"]


class DeletedVersion(Value, frozen=True):
    """The version that was deleted (or would be, in a dry run), and how many files and
    bytes it held."""

    ref: EntityRef
    files: int
    bytes: int
    dry_run: bool = False


class DeleteVersion:
    """Delete one published version.

    Rules:
    - the reference must name a version, by its name: ``latest`` is refused, so that a
      deletion never depends on what was published last (ValidationError);
    - a missing repository, entity or version is NotFoundError, and nothing is deleted;
    - the version's manifest must be of the reference's kind (ProtocolError);
    - afterwards the version is neither listed nor read, and its name may be published
      again; contents other versions share stay;
    - a dry run checks all of the above and deletes nothing.
    """

    def __init__(self, *, store: ArtifactStore) -> None:
        self._store = store

    def __call__(self, ref: EntityRef, *, dry_run: bool = False) -> DeletedVersion:
        if ref.version is None:
            raise ValidationError(f"{ref.describe()}: give the version to delete", field="version")
        if ref.version == LATEST:
            raise ValidationError(
                f"'{LATEST}' is not accepted when deleting: give the version's name",
                field="version",
                hint=f"list them with `frogml {ref.kind.value} versions`",
            )
        manifest = self._store.read_manifest(ref)  # NotFoundError names what is missing
        if manifest.kind is not ref.kind:
            raise ProtocolError(f"{ref.describe()} has a manifest of another kind")
        if not dry_run:
            self._store.delete_version(ref)
        return DeletedVersion(
            ref=ref, files=len(manifest.entries()), bytes=manifest.total_size, dry_run=dry_run
        )
