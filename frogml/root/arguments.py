"""Turning FrogMLStorage's arguments (JFrog's signatures) into use-case requests."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from frogml.domain.errors import ValidationError
from frogml.domain.model.kind import EntityKind
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.services.download import DownloadRequest
from frogml.domain.services.upload import UploadRequest

__all__ = [
    "PathArg",
    "Patterns",
    "download_request",
    "kind_of",
    "one_path_of",
    "optional_path",
    "path_of",
    "paths_of",
    "patterns",
    "upload_request",
]

PathArg = str | os.PathLike[str]
Patterns = str | Sequence[str] | None


def path_of(value: object, field: str) -> str:
    """``value`` (a ``str`` or ``os.PathLike``) as a path string with ``~`` expanded, as a
    shell would; anything else is a ValidationError."""
    if not isinstance(value, (str, os.PathLike)):
        raise ValidationError(f"{field} must be a path, got {type(value).__name__}", field=field)
    path = os.fspath(value)
    if not isinstance(path, str):
        raise ValidationError(f"{field} must be a text path, not bytes", field=field)
    return os.path.expanduser(path)


def one_path_of(**given: PathArg | None) -> str:
    """The one path given under either of two names (``source_path=`` or JFrog's
    ``dataset_path=``); both, or neither, is a ValidationError."""
    named = [(name, value) for name, value in given.items() if value is not None]
    if len(named) != 1:
        names = " or ".join(given)
        verdict = "not both" if named else "it is missing"
        raise ValidationError(f"give {names}: {verdict}", field=next(iter(given)))
    name, value = named[0]
    return path_of(value, name)


def optional_path(value: PathArg | None, field: str) -> str | None:
    return None if value is None else path_of(value, field)


def paths_of(value: PathArg | Sequence[PathArg] | None, field: str) -> tuple[str, ...]:
    """One path or several, as a tuple of strings."""
    if value is None:
        return ()
    if isinstance(value, (str, os.PathLike)):
        return (path_of(value, field),)
    return tuple(path_of(item, field) for item in value)


def patterns(value: Patterns, field: str) -> tuple[str, ...]:
    """One pattern or several, as a tuple of strings."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not all(isinstance(item, str) for item in value):
        raise ValidationError(f"{field} must be strings", field=field)
    return tuple(value)


def kind_of(value: EntityKind | str) -> EntityKind:
    """``model``/``dataset`` (or the enum itself) as an EntityKind."""
    try:
        return value if isinstance(value, EntityKind) else EntityKind(value)
    except ValueError:
        raise ValidationError(
            f"unknown kind {value!r}", field="kind", hint="use 'model' or 'dataset'"
        ) from None


def upload_request(
    kind: EntityKind,
    repository: str,
    name: str,
    source_path: str,
    namespace: str | None,
    version: str | None,
    properties: Mapping[str, str] | None,
    *,
    include: Patterns,
    exclude: Patterns,
    model_format: SerializationMetadata | None = None,
    dependency_paths: tuple[str, ...] = (),
    code_archive_path: str | None = None,
) -> UploadRequest:
    if properties is not None and not isinstance(properties, Mapping):
        raise ValidationError("properties must be a mapping of strings", field="properties")
    return UploadRequest(
        kind=kind,
        repository=repository,
        name=name,
        source_path=source_path,
        namespace=namespace,
        version=version,
        properties=dict(properties or {}),
        include=patterns(include, "include"),
        exclude=patterns(exclude, "exclude"),
        model_format=model_format,
        dependency_paths=dependency_paths,
        code_archive_path=code_archive_path,
    )


def download_request(
    kind: EntityKind,
    repository: str,
    name: str,
    version: str,
    target_path: PathArg,
    namespace: str | None,
    *,
    include: Patterns,
    exclude: Patterns,
    with_dependencies: bool = False,
    with_code: bool = False,
    overwrite: bool = False,
) -> DownloadRequest:
    return DownloadRequest(
        with_dependencies=with_dependencies,
        with_code=with_code,
        overwrite=overwrite,
        kind=kind,
        repository=repository,
        name=name,
        version=version,
        target_path=path_of(target_path, "target_path"),
        namespace=namespace,
        include=patterns(include, "include"),
        exclude=patterns(exclude, "exclude"),
    )
