"""Entities (models and datasets), references to them, and what an upload returns."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Protocol, TypeVar

import msgspec

from frogml.domain.errors import ProtocolError, ValidationError
from frogml.domain.model.base import Value
from frogml.domain.model.kind import EntityKind
from frogml.domain.model.manifest import DatasetInfo, Manifest, ModelInfo
from frogml.domain.model.names import check_name

__all__ = [
    "DatasetVersion",
    "EntityAddress",
    "EntityKind",
    "EntityRef",
    "EntityVersion",
    "ModelVersion",
    "VersionSummary",
    "default_version",
    "format_created_date",
    "parse_created_date",
]


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


class _Addressed(Protocol):
    @property
    def kind(self) -> EntityKind: ...

    @property
    def repository(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def namespace(self) -> str | None: ...

    @property
    def version(self) -> str | None: ...


def _ref_of(found: _Addressed) -> EntityRef:
    return EntityRef(
        repository=found.repository,
        kind=found.kind,
        name=found.name,
        namespace=found.namespace,
        version=found.version,
    )


class EntityAddress(Value, frozen=True):
    """What a request names: a kind, a repository, an entity and maybe a version.

    Checked when its :attr:`ref` is taken, so a request can be built before it is used.
    """

    kind: EntityKind
    repository: str
    name: str
    namespace: str | None = None
    version: str | None = None

    @property
    def ref(self) -> EntityRef:
        return _ref_of(self)


class EntityVersion(Value, frozen=True):
    """A published version, as an upload or an info call returns it.

    Always one of its two kinds: :class:`ModelVersion` or :class:`DatasetVersion`.
    """

    repository: str
    name: str
    namespace: str | None
    version: str
    manifest: Manifest
    properties: dict[str, str] = msgspec.field(default_factory=dict)

    @property
    def kind(self) -> EntityKind:
        return self.manifest.kind

    @property
    def entity_name(self) -> str:
        """The model's or dataset's name (JFrog's client's attribute name)."""
        return self.name

    @property
    def entity_manifest(self) -> Manifest:
        """The manifest (JFrog's client's attribute name): ``model_artifacts`` or
        ``dataset_artifacts``, each with ``artifact_path``, ``size`` and ``checksums.sha2``."""
        return self.manifest

    @property
    def ref(self) -> EntityRef:
        """Where this version lives."""
        return _ref_of(self)

    def narrowed(self, cls: type[_V]) -> _V:
        """This version as a ``cls`` (ModelVersion or DatasetVersion), or a ValidationError."""
        if not isinstance(self, cls):
            raise ValidationError(f"{self.ref.describe()} is not a {cls.__name__}")
        return self

    @staticmethod
    def of(ref: EntityRef, manifest: Manifest, properties: dict[str, str]) -> EntityVersion:
        """The published version ``ref`` with its manifest and properties.

        Rule: the manifest must be of the reference's kind (ProtocolError otherwise).
        """
        if ref.version is None:
            raise ValidationError("a published version needs a version", field="version")
        if manifest.kind is not ref.kind:
            raise ProtocolError(f"{ref.describe()} has a manifest of another kind")
        cls: type[EntityVersion] = ModelVersion if ref.kind is EntityKind.MODEL else DatasetVersion
        return cls(
            repository=ref.repository,
            name=ref.name,
            namespace=ref.namespace,
            version=ref.version,
            manifest=manifest,
            properties=properties,
        )


_V = TypeVar("_V", bound=EntityVersion)


class ModelVersion(EntityVersion, frozen=True, kw_only=True):
    """A published model version."""

    manifest: ModelInfo


class DatasetVersion(EntityVersion, frozen=True, kw_only=True):
    """A published dataset version."""

    manifest: DatasetInfo


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


_CREATED = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?")


def parse_created_date(value: str) -> datetime | None:
    """A manifest's ``created_date`` as an aware UTC time (the protocol writes UTC with
    no zone); None for a date in another form (a hand-made manifest)."""
    match = _CREATED.fullmatch(value.strip())
    if match is None:
        return None
    seconds, fraction, zone = match.groups()
    micro = (fraction or "0")[:6].ljust(6, "0")  # any number of digits (3.10 takes 3 or 6)
    try:
        parsed = datetime.fromisoformat(
            f"{seconds}.{micro}{'+00:00' if zone in (None, 'Z') else zone}"
        )
    except ValueError:
        return None
    return parsed
