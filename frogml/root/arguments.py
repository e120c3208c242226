"""Turning FrogMLStorage's arguments (JFrog's signatures) into use-case requests."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from frogml.domain.errors import ValidationError
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.services.download_dataset import DownloadDatasetRequest
from frogml.domain.services.download_model import DownloadModelRequest
from frogml.domain.services.upload_dataset import UploadDatasetRequest
from frogml.domain.services.upload_model import UploadModelRequest

__all__ = [
    "dataset_download_request",
    "dataset_upload_request",
    "model_download_request",
    "model_upload_request",
    "patterns",
]


def path_of(value: object, field: str) -> str:
    """``value`` as a path string; anything else is a ValidationError."""
    if not isinstance(value, (str, os.PathLike)):
        raise ValidationError(f"{field} must be a path, got {type(value).__name__}", field=field)
    return os.fspath(value)


def patterns(value: str | Sequence[str] | None, field: str) -> tuple[str, ...]:
    """One pattern or several, as a tuple of strings."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not all(isinstance(item, str) for item in value):
        raise ValidationError(f"{field} must be strings", field=field)
    return tuple(value)


def model_upload_request(
    repository: str,
    model_name: str,
    model_path: str,
    model_type: SerializationMetadata | Mapping[str, Any],
    namespace: str | None,
    version: str | None,
    properties: Mapping[str, str] | None,
    dependencies_files_paths: Sequence[str] | None,
    code_archive_file_path: str | None,
    *,
    include: str | Sequence[str] | None,
    exclude: str | Sequence[str] | None,
) -> UploadModelRequest:
    if isinstance(dependencies_files_paths, str):
        dependencies_files_paths = [dependencies_files_paths]
    return UploadModelRequest(
        repository=repository,
        name=model_name,
        source_path=path_of(model_path, "model_path"),
        model_format=SerializationMetadata.coerce(model_type),
        namespace=namespace,
        version=version,
        properties=dict(properties or {}),
        dependency_paths=tuple(
            path_of(p, "dependencies_files_paths") for p in dependencies_files_paths or ()
        ),
        code_archive_path=None
        if code_archive_file_path is None
        else path_of(code_archive_file_path, "code_archive_file_path"),
        include=patterns(include, "include"),
        exclude=patterns(exclude, "exclude"),
    )


def dataset_upload_request(
    repository: str,
    dataset_name: str,
    source_path: str,
    namespace: str | None,
    version: str | None,
    properties: Mapping[str, str] | None,
    *,
    include: str | Sequence[str] | None,
    exclude: str | Sequence[str] | None,
) -> UploadDatasetRequest:
    return UploadDatasetRequest(
        repository=repository,
        name=dataset_name,
        source_path=path_of(source_path, "source_path"),
        namespace=namespace,
        version=version,
        properties=dict(properties or {}),
        include=patterns(include, "include"),
        exclude=patterns(exclude, "exclude"),
    )


def model_download_request(
    repository: str,
    model_name: str,
    version: str,
    target_path: str,
    namespace: str | None,
    *,
    include: str | Sequence[str] | None,
    exclude: str | Sequence[str] | None,
) -> DownloadModelRequest:
    return DownloadModelRequest(
        repository=repository,
        name=model_name,
        version=version,
        target_path=path_of(target_path, "target_path"),
        namespace=namespace,
        include=patterns(include, "include"),
        exclude=patterns(exclude, "exclude"),
    )


def dataset_download_request(
    repository: str,
    dataset_name: str,
    version: str,
    target_path: str,
    namespace: str | None,
    *,
    include: str | Sequence[str] | None,
    exclude: str | Sequence[str] | None,
) -> DownloadDatasetRequest:
    return DownloadDatasetRequest(
        repository=repository,
        name=dataset_name,
        version=version,
        target_path=path_of(target_path, "target_path"),
        namespace=namespace,
        include=patterns(include, "include"),
        exclude=patterns(exclude, "exclude"),
    )
