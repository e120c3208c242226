"""The ModelInfo and DatasetInfo manifests written with every version."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from frogml.domain.errors import ValidationError
from frogml.domain.model.base import Value
from frogml.domain.model.kind import Area, EntityKind
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.model.names import check_artifact_path, check_base_name, check_distinct

__all__ = [
    "Artifact",
    "Checksums",
    "DatasetInfo",
    "Manifest",
    "ModelInfo",
    "build_manifest",
    "manifest_type",
]

_SHA256 = re.compile(r"[0-9a-f]{64}")


class Checksums(Value, frozen=True):
    """An artifact's checksums, as JFrog's manifests name them (``checksums.sha2``)."""

    sha2: str


class Artifact(Value, frozen=True):
    """One stored file: its relative path, size and SHA-256 (and, when read back, its URL)."""

    artifact_path: str
    size: int
    sha256: str
    download_url: str | None = None

    def __post_init__(self) -> None:
        check_artifact_path(self.artifact_path)
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size < 0:
            raise ValidationError(
                f"size of {self.artifact_path!r} must be a non-negative integer", field="size"
            )
        if not isinstance(self.sha256, str) or _SHA256.fullmatch(self.sha256) is None:
            raise ValidationError(
                f"SHA-256 of {self.artifact_path!r} must be 64 lowercase hex digits",
                field="checksums.sha2",
            )

    @property
    def checksums(self) -> Checksums:
        """``checksums.sha2``, the manifest's (and JFrog's client's) name of the SHA-256."""
        return Checksums(sha2=self.sha256)


def _unique(artifacts: tuple[Artifact, ...], what: str) -> None:
    check_distinct((a.artifact_path for a in artifacts), what=what)


Entries = Iterable[tuple[Area, Artifact]]


class ModelInfo(Value, frozen=True):
    """The manifest of a model version."""

    kind: ClassVar[EntityKind] = EntityKind.MODEL

    created_date: str
    model_artifacts: tuple[Artifact, ...]
    model_format: SerializationMetadata
    dependency_artifacts: tuple[Artifact, ...] = ()
    code_artifact: Artifact | None = None

    def __post_init__(self) -> None:
        if not self.model_artifacts:
            raise ValidationError(
                "a model version needs at least one file", field="model_artifacts"
            )
        _unique(self.model_artifacts, "model_artifacts")
        for dependency in self.dependency_artifacts:
            check_base_name(dependency.artifact_path, field="dependency file name")
        _unique(self.dependency_artifacts, "dependency_artifacts")
        if self.code_artifact is not None:
            check_base_name(self.code_artifact.artifact_path, field="code archive name")

    @property
    def total_size(self) -> int:
        """Bytes of every file of the version."""
        return sum(a.size for _, a in self.entries())

    @property
    def artifacts(self) -> tuple[Artifact, ...]:
        """The model's own files (JFrog's ``EntityManifest.artifacts``)."""
        return self.model_artifacts

    @property
    def code_artifacts(self) -> Artifact | None:
        """The code archive, under the manifest's (and JFrog's) field name."""
        return self.code_artifact

    def entries(self) -> list[tuple[Area, Artifact]]:
        """Every artifact with the area of the version it belongs to."""
        pairs = [(Area.FILES, a) for a in self.model_artifacts]
        pairs += [(Area.DEPENDENCIES, a) for a in self.dependency_artifacts]
        if self.code_artifact is not None:
            pairs.append((Area.CODE, self.code_artifact))
        return pairs


class DatasetInfo(Value, frozen=True):
    """The manifest of a dataset version."""

    kind: ClassVar[EntityKind] = EntityKind.DATASET

    created_date: str
    dataset_artifacts: tuple[Artifact, ...]

    def __post_init__(self) -> None:
        if not self.dataset_artifacts:
            raise ValidationError(
                "a dataset version needs at least one file", field="dataset_artifacts"
            )
        _unique(self.dataset_artifacts, "dataset_artifacts")

    @property
    def total_size(self) -> int:
        """Bytes of every file of the version."""
        return sum(a.size for a in self.dataset_artifacts)

    @property
    def artifacts(self) -> tuple[Artifact, ...]:
        """The dataset's files (JFrog's ``EntityManifest.artifacts``)."""
        return self.dataset_artifacts

    def entries(self) -> list[tuple[Area, Artifact]]:
        """Every artifact with the area of the version it belongs to."""
        return [(Area.FILES, a) for a in self.dataset_artifacts]


Manifest = ModelInfo | DatasetInfo


def manifest_type(kind: EntityKind) -> type[ModelInfo] | type[DatasetInfo]:
    """The manifest class of ``kind``."""
    return ModelInfo if kind is EntityKind.MODEL else DatasetInfo


def build_manifest(
    kind: EntityKind,
    *,
    created_date: str,
    entries: Entries,
    model_format: SerializationMetadata | None = None,
) -> Manifest:
    """The manifest of a new version of ``kind`` holding ``entries``.

    Rules: only the kind's areas may hold files; a model has a format and at most one
    code archive; a dataset has no format.
    """
    by_area: dict[Area, list[Artifact]] = {area: [] for area in kind.areas}
    for area, artifact in entries:
        if area not in by_area:
            raise ValidationError(f"a {kind.value} has no {area.value}", field=area.value)
        by_area[area].append(artifact)
    if not kind.has_format:
        if model_format is not None:
            raise ValidationError(f"a {kind.value} has no model format", field="model_format")
        return DatasetInfo(created_date=created_date, dataset_artifacts=tuple(by_area[Area.FILES]))
    if model_format is None:
        raise ValidationError(f"a {kind.value} needs a model format", field="model_format")
    code = by_area[Area.CODE]
    if len(code) > 1:
        raise ValidationError("a model has at most one code archive", field="code_archive")
    return ModelInfo(
        created_date=created_date,
        model_artifacts=tuple(by_area[Area.FILES]),
        model_format=model_format,
        dependency_artifacts=tuple(by_area[Area.DEPENDENCIES]),
        code_artifact=code[0] if code else None,
    )
