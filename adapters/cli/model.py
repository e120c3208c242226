"""``frogml model ...``: upload, download, info, versions."""

from __future__ import annotations

import platform

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
from domain.model.metadata import SerializationMetadata

__all__ = ["model"]


@click.group()
def model() -> None:
    """Upload and download model versions."""


@model.command("upload")
@click.argument("repository")
@click.argument("name")
@click.argument("path", type=click.Path())
@click.option("--framework", required=True, help="Framework, e.g. pytorch or scikit-learn.")
@click.option("--framework-version", required=True, help="Framework version, e.g. 2.5.1.")
@click.option(
    "--format", "serialization_format", required=True, help="Serialization format, e.g. pt."
)
@click.option("--runtime", default="python", show_default=True, help="Runtime of the model.")
@click.option(
    "--runtime-version",
    default=".".join(platform.python_version_tuple()[:2]),
    show_default=True,
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
@json_option
@quiet_option
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
    as_json: bool,
    quiet: bool,
) -> None:
    """Publish PATH (a file or a folder) as a new model version.

    Example: frogml model upload ml-local fraud ./model --framework scikit-learn
    --framework-version 1.5.2 --format pkl -p stage=dev
    """
    metadata = SerializationMetadata(
        framework=framework,
        framework_version=framework_version,
        serialization_format=serialization_format,
        runtime=runtime,
        runtime_version=runtime_version,
    )
    result = storage.upload_model_version_with_report(
        repository,
        name,
        path,
        metadata,
        namespace,
        version,
        parse_properties(properties),
        list(dependencies),
        code_archive,
        progress=progress_for(f"Uploading {name}", quiet=quiet or as_json),
    )
    found, report = result.model_version, result.report
    if as_json:
        emit_json(version_json(found, report))
        return
    click.echo(
        f"Uploaded model {name} version {found.version} to {storage.location}"
        f" (repository {repository}): {report.files_sent} file(s) sent"
        f" ({human_size(report.bytes_sent)}), {report.files_deduplicated} already stored"
    )


add_read_commands(model, EntityKind.MODEL)
