"""Entities (models and datasets), references to them, and what an upload returns."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

import msgspec

from frogml.domain.model.base import Value
from frogml.domain.model.manifest import DatasetInfo, ModelInfo
from frogml.domain.model.names import check_name

__all__ = [
    "DatasetVersion",
    "EntityKind",
    "EntityRef",
    "ModelVersion",
    "VersionSummary",
    "default_version",
    "format_created_date",
]


class EntityKind(enum.Enum):
    """What an entity is; the value is the protocol's ``{type}``."""

    MODEL = "model"
    DATASET = "dataset"

    @property
    def folder(self) -> str:
        """The top folder of this kind in a repository (``models`` or ``datasets``)."""
        return f"{self.value}s"

    @property
    def manifest_file(self) -> str:
        """The name of the manifest written beside a version's files."""
        return f"{self.value}-info.json"


class EntityRef(Value, frozen=True):
    """Where an entity (and optionally one of its versions) lives."""

    repository: str
    kind: EntityKind
    name: str
    namespace: str | None = None
    version: str | None = None

    def __post_init__(self) -> None:
        check_name(self.repository, field="repository")
        check_name(self.name, field=f"{self.kind.value} name")
        if self.namespace is not None:
            check_name(self.namespace, field="namespace")
        if self.version is not None:
            check_name(self.version, field="version")

    @property
    def entity_path(self) -> str:
        """``name`` or ``namespace/name``, as in the protocol's URLs."""
        return self.name if self.namespace is None else f"{self.namespace}/{self.name}"

    def unversioned(self) -> EntityRef:
        """The same entity, without a version."""
        return EntityRef(
            repository=self.repository, kind=self.kind, name=self.name, namespace=self.namespace
        )

    def with_version(self, version: str) -> EntityRef:
        """The same entity at ``version``."""
        return EntityRef(
            repository=self.repository,
            kind=self.kind,
            name=self.name,
            namespace=self.namespace,
            version=version,
        )

    def describe(self) -> str:
        """A short human description: ``model acme/fraud@1.0 in repo ml-local``."""
        at = "" if self.version is None else f"@{self.version}"
        return f"{self.kind.value} {self.entity_path}{at} in repository {self.repository}"


class ModelVersion(Value, frozen=True):
    """A published model version, as an upload or an info call returns it."""

    repository: str
    name: str
    namespace: str | None
    version: str
    manifest: ModelInfo
    properties: dict[str, str] = msgspec.field(default_factory=dict)


class DatasetVersion(Value, frozen=True):
    """A published dataset version, as an upload or an info call returns it."""

    repository: str
    name: str
    namespace: str | None
    version: str
    manifest: DatasetInfo
    properties: dict[str, str] = msgspec.field(default_factory=dict)


class VersionSummary(Value, frozen=True):
    """One line of a version listing."""

    version: str
    created: datetime


_VERSION_FORMAT = "%Y-%m-%d-%H-%M-%S"


def default_version(now: datetime) -> str:
    """The default version: the UTC time as ``yyyy-MM-dd-HH-mm-ss``."""
    return now.astimezone(timezone.utc).strftime(_VERSION_FORMAT)


def format_created_date(moment: datetime) -> str:
    """A manifest's ``created_date``: UTC, seconds plus two fractional digits."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 10000:02d}"
