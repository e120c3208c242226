"""The JSON documents of ``--json`` (schemas documented in the README; fields are only
ever added, never renamed or removed)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import msgspec
import rich_click as click

from frogml.adapters.cli._format import human_size, iso_time
from frogml.adapters.cli._local_store import fallback_field
from frogml.domain.model.entity import EntityVersion, VersionSummary
from frogml.domain.model.health import HealthCheck
from frogml.domain.model.manifest_json import encode_manifest
from frogml.domain.model.plan import TransferPlan
from frogml.domain.model.repository import RepositoryListing
from frogml.domain.ports.artifact_store import UploadReport
from frogml.domain.ports.garbage import GarbageReport
from frogml.domain.services.delete_version import DeletedVersion
from frogml.domain.services.download import DownloadResult
from frogml.domain.services.list_entities import EntityListing

__all__ = [
    "deleted_json",
    "doctor_json",
    "download_json",
    "emit_json",
    "entities_json",
    "garbage_json",
    "human_size",
    "plan_json",
    "repositories_json",
    "version_json",
    "versions_json",
]


def emit_json(document: object) -> None:
    """Write one JSON document (and a newline) to stdout; an object document of a command
    that used a store carries ``fallback_store``."""
    document = fallback_field(document)
    try:
        encoded = msgspec.json.encode(document)
    except UnicodeEncodeError:  # a path that is not UTF-8: JSON holds text only
        encoded = msgspec.json.encode(_valid_text(msgspec.to_builtins(document)))
    click.echo(encoded.decode())


def _valid_text(value: object) -> object:
    """``value`` with every string made valid UTF-8: the bytes of a path that are not
    (decoded by Python as lone surrogates) shown as ``\\xff`` escapes, as Python does."""
    if isinstance(value, str):
        return _valid_string(value)
    if isinstance(value, dict):
        return {_valid_text(k): _valid_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_valid_text(v) for v in value]
    return value


def _valid_string(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:  # the bytes the file system has, undecodable ones escaped
            return os.fsencode(text).decode("utf-8", "backslashreplace")
        except UnicodeError:  # a surrogate no file name decodes to
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def version_json(found: EntityVersion, report: UploadReport | None = None) -> dict[str, Any]:
    """The documented JSON of a version: identity, manifest (protocol format), properties."""
    from frogml.domain.model.entity import parse_created_date

    created = parse_created_date(found.manifest.created_date)
    document: dict[str, Any] = {
        "repository": found.repository,
        "kind": found.kind.value,
        "name": found.name,
        "namespace": found.namespace,
        "version": found.version,
        "created": None if created is None else iso_time(created),
        "properties": found.properties,
        "manifest": msgspec.json.decode(encode_manifest(found.manifest)),
    }
    if report is not None:
        document["upload"] = msgspec.to_builtins(report)
    return document


def versions_json(versions: Sequence[VersionSummary]) -> list[dict[str, str]]:
    """``[{"version": ..., "created": ISO-8601}]``, newest first."""
    return [{"version": v.version, "created": iso_time(v.created)} for v in versions]


def entities_json(entities: Sequence[EntityListing]) -> list[dict[str, Any]]:
    """``[{"name": ..., "namespace": ... | null, "path": "namespace/name"}]``, sorted."""
    return [{"name": e.name, "namespace": e.namespace, "path": e.path} for e in entities]


def download_json(result: DownloadResult) -> dict[str, Any]:
    """The documented JSON of a download."""
    return {
        "repository": result.ref.repository,
        "kind": result.ref.kind.value,
        "name": result.ref.name,
        "namespace": result.ref.namespace,
        "version": result.ref.version,
        "target_path": result.target_path,
        "files": list(result.files),
        "files_downloaded": result.files_downloaded,
        "files_reused": result.files_reused,
        "bytes_downloaded": result.bytes_downloaded,
        "bytes_reused": result.bytes_reused,
        "skipped": msgspec.to_builtins(result.skipped),
    }


def plan_json(plan: TransferPlan) -> dict[str, Any]:
    """The documented JSON of ``--dry-run``: what would move, be reused, be left out."""
    return {
        "dry_run": True,
        "direction": plan.direction,
        "repository": plan.ref.repository,
        "kind": plan.ref.kind.value,
        "name": plan.ref.name,
        "namespace": plan.ref.namespace,
        "version": plan.ref.version,
        "target_path": plan.target_path,
        "transfer": msgspec.to_builtins(plan.transfer),
        "reuse": msgspec.to_builtins(plan.reuse),
        "reuse_known": plan.reuse_known,
        "skipped": msgspec.to_builtins(plan.skipped),
        "files_to_transfer": len(plan.transfer),
        "bytes_to_transfer": plan.bytes_to_transfer,
        "bytes_reused": plan.bytes_reused,
    }


def doctor_json(checks: Sequence[HealthCheck]) -> dict[str, Any]:
    """``{"ok": bool, "checks": [{"name", "verdict", "detail"}]}``."""
    return {
        "ok": all(c.verdict != "fail" for c in checks),
        "checks": msgspec.to_builtins(list(checks)),
    }


def deleted_json(gone: DeletedVersion) -> dict[str, Any]:
    """``delete``: the version deleted (or, with ``dry_run``, that would be)."""
    ref = gone.ref
    return {
        "deleted": not gone.dry_run,
        "dry_run": gone.dry_run,
        "repository": ref.repository,
        "kind": ref.kind.value,
        "name": ref.name,
        "namespace": ref.namespace,
        "version": ref.version,
        "files": gone.files,
        "bytes": gone.bytes,
    }


def repositories_json(found: Sequence[RepositoryListing]) -> list[dict[str, Any]]:
    """``repos``: ``[{"key", "type", "package_type", "url", "description"}]``, sorted."""
    return [
        {
            "key": r.key,
            "type": r.rclass,
            "package_type": r.package_type,
            "url": r.url,
            "description": r.description,
        }
        for r in found
    ]


def garbage_json(report: GarbageReport) -> dict[str, Any]:
    """``gc``: what was freed (or, with ``dry_run``, would be)."""
    return {
        "dry_run": report.dry_run,
        "store": report.location,
        "blobs": report.blobs,
        "blob_bytes": report.blob_bytes,
        "stale_uploads": report.stale_uploads,
        "stale_bytes": report.stale_bytes,
        "bytes_freed": report.bytes_freed,
    }
