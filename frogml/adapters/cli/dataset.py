"""``frogml dataset ...``: upload, download, info, versions, ls."""

from __future__ import annotations

import rich_click as click

from frogml.adapters.cli._api import StorageApi
from frogml.adapters.cli._common import (
    dry_run_option,
    exclude_option,
    include_option,
    json_option,
    namespace_option,
    parse_properties,
    pass_storage,
    properties_option,
    quiet_option,
    verbose_option,
    version_option,
)
from frogml.adapters.cli._entity import add_read_commands
from frogml.adapters.cli._run import run_upload

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
    from frogml.domain.services.upload_dataset import UploadDatasetRequest

    request = UploadDatasetRequest(
        repository=repository,
        name=name,
        source_path=path,
        namespace=namespace,
        version=version,
        properties=parse_properties(properties),
        include=include,
        exclude=exclude,
    )
    run_upload(storage, request, dry_run=dry_run, as_json=as_json, quiet=quiet, verbose=verbose)


add_read_commands(dataset, "dataset")
