"""``frogml dataset ...``: upload, download, info, versions, ls."""

from __future__ import annotations

import rich_click as click

from adapters.cli._api import StorageApi
from adapters.cli._common import (
    dry_run_option,
    exclude_option,
    include_option,
    json_option,
    namespace_option,
    parse_properties,
    pass_storage,
    progress_mode,
    properties_option,
    quiet_option,
    verbose_option,
    version_option,
)
from adapters.cli._entity import add_read_commands
from adapters.cli._format import human_size
from adapters.cli._progress import progress_for
from adapters.cli._render import print_plan

__all__ = ["dataset"]


@click.group()
def dataset() -> None:
    """Upload, download and list dataset versions.

    Example: frogml dataset ls ml-local
    """


@dataset.command("upload")
@click.argument("repository")
@click.argument("name")
@click.argument("path", type=click.Path())
@namespace_option
@version_option
@properties_option
@include_option
@exclude_option
@dry_run_option
@json_option
@quiet_option
@verbose_option
@pass_storage
def upload(
    storage: StorageApi,
    repository: str,
    name: str,
    path: str,
    namespace: str | None,
    version: str | None,
    properties: tuple[str, ...],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    dry_run: bool,
    as_json: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Publish PATH (a file or a folder) as a new dataset version.

    A .frogmlignore file (gitignore syntax) in the folder, --include and --exclude
    choose its files.

    Example: frogml dataset upload ml-local transactions ./data -v 2026-11 --include '*.parquet'
    """
    from adapters.cli._output import emit_json, plan_json, version_json

    args = (repository, name, path, namespace, version, parse_properties(properties))
    if dry_run:
        plan = storage.plan_dataset_upload(*args, include=include, exclude=exclude)
        if as_json:
            emit_json(plan_json(plan))
        else:
            print_plan(plan)
        return
    quiet, verbose = progress_mode(quiet=quiet, verbose=verbose, as_json=as_json)
    result = storage.upload_dataset_version_with_report(
        *args,
        progress=progress_for(f"Uploading {name}", quiet=quiet, verbose=verbose),
        include=include,
        exclude=exclude,
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


add_read_commands(dataset, "dataset")
