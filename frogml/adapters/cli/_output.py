"""The JSON documents of ``--json`` (schemas documented in the README; fields are only
ever added, never renamed or removed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
import rich_click as click

from frogml.adapters.cli._format import human_size
from frogml.domain.model.entity import EntityVersion, VersionSummary
from frogml.domain.model.health import HealthCheck
from frogml.domain.model.manifest_json import encode_manifest
from frogml.domain.model.plan import TransferPlan
from frogml.domain.ports.artifact_store import UploadReport
from frogml.domain.services.download import DownloadResult
from frogml.domain.services.list_entities import EntityListing

__all__ = [
    "doctor_json",
    "download_json",
    "emit_json",
    "entities_json",
    "human_size",
    "plan_json",
    "version_json",
    "versions_json",
]


def emit_json(document: object) -> None:
    """Write one JSON document (and a newline) to stdout."""
    click.echo(msgspec.json.encode(document).decode())


def version_json(found: EntityVersion, report: UploadReport | None = None) -> dict[str, Any]:
    """The documented JSON of a version: identity, manifest (protocol format), properties."""
    document: dict[str, Any] = {
        "repository": found.repository,
        "kind": found.kind.value,
        "name": found.name,
        "namespace": found.namespace,
        "version": found.version,
        "properties": found.properties,
        "manifest": msgspec.json.decode(encode_manifest(found.manifest)),
    }
    if report is not None:
        document["upload"] = msgspec.to_builtins(report)
    return document


def versions_json(versions: Sequence[VersionSummary]) -> list[dict[str, str]]:
    """``[{"version": ..., "created": ISO-8601}]``, newest first."""
    return [{"version": v.version, "created": v.created.isoformat()} for v in versions]


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
