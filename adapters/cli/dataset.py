"""``frogml dataset ...``: upload, download, info, versions."""

from __future__ import annotations

import rich_click as click

from adapters.cli._api import StorageApi
from adapters.cli._common import (
    json_option,
    namespace_option,
    parse_properties,
    pass_storage,
    properties_option,
    quiet_option,
    version_option,
)
from adapters.cli._entity import add_read_commands
from adapters.cli._output import emit_json, human_size, version_json
from adapters.cli._progress import progress_for
from domain.model.entity import EntityKind

__all__ = ["dataset"]


@click.group()
def dataset() -> None:
    """Upload and download dataset versions."""


@dataset.command("upload")
@click.argument("repository")
@click.argument("name")
@click.argument("path", type=click.Path())
@namespace_option
@version_option
@properties_option
@json_option
@quiet_option
@pass_storage
def upload(
    storage: StorageApi,
    repository: str,
    name: str,
    path: str,
    namespace: str | None,
    version: str | None,
    properties: tuple[str, ...],
    as_json: bool,
    quiet: bool,
) -> None:
    """Publish PATH (a file or a folder) as a new dataset version.

    Example: frogml dataset upload ml-local transactions ./data.parquet -v 2026-11
    """
    result = storage.upload_dataset_version_with_report(
        repository,
        name,
        path,
        namespace,
        version,
        parse_properties(properties),
        progress=progress_for(f"Uploading {name}", quiet=quiet or as_json),
    )
    found, report = result.dataset_version, result.report
    if as_json:
        emit_json(version_json(found, report))
        return
    click.echo(
        f"Uploaded dataset {name} version {found.version} to {storage.location}"
        f" (repository {repository}): {report.files_sent} file(s) sent"
        f" ({human_size(report.bytes_sent)}), {report.files_deduplicated} already stored"
    )


add_read_commands(dataset, EntityKind.DATASET)
