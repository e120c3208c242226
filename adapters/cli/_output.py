"""Rendering results: human summaries by default, stable JSON with ``--json``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
import rich_click as click

from domain.model.entity import DatasetVersion, ModelVersion, VersionSummary
from domain.model.manifest_json import encode_manifest
from domain.ports.artifact_store import UploadReport
from domain.services._fetch import DownloadResult

__all__ = ["download_json", "emit_json", "human_size", "version_json", "versions_json"]


def emit_json(document: object) -> None:
    """Write one JSON document (and a newline) to stdout."""
    click.echo(msgspec.json.encode(document).decode())


def human_size(size: int) -> str:
    """``1536`` -> ``1.5 KiB``."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def version_json(
    found: ModelVersion | DatasetVersion, report: UploadReport | None = None
) -> dict[str, Any]:
    """The documented JSON of a version: identity, manifest (protocol format), properties."""
    document: dict[str, Any] = {
        "repository": found.repository,
        "kind": "model" if isinstance(found, ModelVersion) else "dataset",
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
    }
