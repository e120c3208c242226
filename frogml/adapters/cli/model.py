"""``frogml model ...``: upload, download, info, versions, ls."""

from __future__ import annotations

import platform

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

__all__ = ["model"]


def _not_blank(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise click.BadParameter("must not be empty", ctx=ctx, param=param)
    return value


@click.group()
def model() -> None:
    """Upload, download and list model versions.

    Example: frogml model ls ml-local
    """


@model.command("upload")
@click.argument("repository")
@click.argument("name")
@click.argument("path", type=click.Path())
@click.option(
    "--framework",
    required=True,
    callback=_not_blank,
    help="Framework, e.g. pytorch or scikit-learn.",
)
@click.option(
    "--framework-version",
    required=True,
    callback=_not_blank,
    help="Framework version, e.g. 2.5.1.",
)
@click.option(
    "--format",
    "serialization_format",
    required=True,
    callback=_not_blank,
    help="Serialization format, e.g. pt.",
)
@click.option(
    "--runtime",
    default="python",
    show_default=True,
    callback=_not_blank,
    help="Runtime of the model.",
)
@click.option(
    "--runtime-version",
    default=".".join(platform.python_version_tuple()[:2]),
    show_default=True,
    callback=_not_blank,
    help="Runtime version.",
)
@namespace_option
@version_option
@properties_option
@click.option(
    "--dependency",
    "-d",
    "dependencies",
    multiple=True,
    type=click.Path(),
    help="A dependency file (e.g. requirements.txt); repeat for more.",
)
@click.option("--code-archive", type=click.Path(), default=None, help="An archive of the code.")
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
    framework: str,
    framework_version: str,
    serialization_format: str,
    runtime: str,
    runtime_version: str,
    namespace: str | None,
    version: str | None,
    properties: tuple[str, ...],
    dependencies: tuple[str, ...],
    code_archive: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    dry_run: bool,
    as_json: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Publish PATH (a file or a folder) as a new model version.

    A .frogmlignore file (gitignore syntax) in the folder, --include and --exclude
    choose its files.

    Example: frogml model upload ml-local fraud ./model --framework scikit-learn
    --framework-version 1.5.2 --format pkl -p stage=dev --exclude '*.tmp'
    """
    from frogml.domain.model.metadata import SerializationMetadata
    from frogml.domain.services.upload_model import UploadModelRequest

    metadata = SerializationMetadata(
        framework=framework,
        framework_version=framework_version,
        serialization_format=serialization_format,
        runtime=runtime,
        runtime_version=runtime_version,
    )
    request = UploadModelRequest(
        repository=repository,
        name=name,
        source_path=path,
        model_format=metadata,
        namespace=namespace,
        version=version,
        properties=parse_properties(properties),
        dependency_paths=dependencies,
        code_archive_path=code_archive,
        include=include,
        exclude=exclude,
    )
    run_upload(storage, request, dry_run=dry_run, as_json=as_json, quiet=quiet, verbose=verbose)


add_read_commands(model, "model")
