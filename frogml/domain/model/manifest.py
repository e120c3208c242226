"""The ModelInfo and DatasetInfo manifests written with every version."""

from __future__ import annotations

import re

from frogml.domain.errors import ValidationError
from frogml.domain.model.base import Value
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.model.names import check_artifact_path, check_base_name, same_file_key

__all__ = ["Artifact", "DatasetInfo", "Manifest", "ModelInfo"]

_SHA256 = re.compile(r"[0-9a-f]{64}")


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


def _unique(artifacts: tuple[Artifact, ...], what: str) -> None:
    seen: set[str] = set()
    for artifact in artifacts:
        key = same_file_key(artifact.artifact_path)
        if key in seen:
            raise ValidationError(f"{what} lists {artifact.artifact_path!r} twice", field=what)
        seen.add(key)
    # A file and a folder of the same name cannot both exist on disk.
    folders = {
        "/".join(parts[:end])
        for parts in (same_file_key(a.artifact_path).split("/") for a in artifacts)
        for end in range(1, len(parts))
    }
    for artifact in artifacts:
        if same_file_key(artifact.artifact_path) in folders:
            raise ValidationError(
                f"{what} uses {artifact.artifact_path!r} both as a file and a folder", field=what
            )


class ModelInfo(Value, frozen=True):
    """The manifest of a model version."""

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
        extra = () if self.code_artifact is None else (self.code_artifact,)
        return sum(a.size for a in (*self.model_artifacts, *self.dependency_artifacts, *extra))


class DatasetInfo(Value, frozen=True):
    """The manifest of a dataset version."""

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


Manifest = ModelInfo | DatasetInfo
