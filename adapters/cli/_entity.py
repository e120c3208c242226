"""The download, info and versions commands, identical for models and datasets."""

from __future__ import annotations

import rich_click as click

from adapters.cli._api import StorageApi
from adapters.cli._common import json_option, namespace_option, pass_storage, quiet_option
from adapters.cli._output import (
    download_json,
    emit_json,
    human_size,
    version_json,
    versions_json,
)
from adapters.cli._progress import progress_for
from domain.model.entity import DatasetVersion, EntityKind, ModelVersion

__all__ = ["add_read_commands", "print_version"]


def print_version(found: ModelVersion | DatasetVersion) -> None:
    """A human summary of one version: identity, format, files, properties."""
    entity = found.name if found.namespace is None else f"{found.namespace}/{found.name}"
    click.echo(f"{entity} {found.version} in {found.repository}")
    click.echo(f"created:  {found.manifest.created_date}")
    if isinstance(found, ModelVersion):
        artifacts = found.manifest.model_artifacts
        fmt = found.manifest.model_format
        click.echo(
            f"format:   {fmt.framework} {fmt.framework_version} ({fmt.serialization_format}),"
            f" {fmt.runtime} {fmt.runtime_version}"
        )
    else:
        artifacts = found.manifest.dataset_artifacts
    click.echo(f"files:    {len(artifacts)} ({human_size(found.manifest.total_size)})")
    for artifact in artifacts:
        size = human_size(artifact.size)
        click.echo(f"  {artifact.artifact_path}  {size}  sha256:{artifact.sha256[:12]}")
    if isinstance(found, ModelVersion):
        for dep in found.manifest.dependency_artifacts:
            click.echo(f"  dependency: {dep.artifact_path}  {human_size(dep.size)}")
        if found.manifest.code_artifact is not None:
            click.echo(f"  code: {found.manifest.code_artifact.artifact_path}")
    for key, value in sorted(found.properties.items()):
        click.echo(f"property: {key}={value}")


def add_read_commands(group: click.Group, kind: EntityKind) -> None:
    """Attach ``download``, ``info`` and ``versions`` for ``kind`` to ``group``."""
    noun = kind.value

    @group.command("download")
    @click.argument("repository")
    @click.argument("name")
    @click.argument("version")
    @click.argument("target", type=click.Path(file_okay=False))
    @namespace_option
    @json_option
    @quiet_option
    @pass_storage
    def download(
        storage: StorageApi,
        repository: str,
        name: str,
        version: str,
        target: str,
        namespace: str | None,
        as_json: bool,
        quiet: bool,
    ) -> None:
        events = progress_for(f"Downloading {name} {version}", quiet=quiet or as_json)
        fetch = (
            storage.download_model_version
            if kind is EntityKind.MODEL
            else storage.download_dataset_version
        )
        result = fetch(repository, name, version, target, namespace, progress=events)
        if as_json:
            emit_json(download_json(result))
            return
        click.echo(
            f"Downloaded {noun} {name} {version} to {result.target_path}: "
            f"{result.files_downloaded} file(s) fetched, {result.files_reused} already present "
            f"({human_size(result.bytes_downloaded)})"
        )

    download.__doc__ = (
        f"Download a {noun} version into TARGET, every byte verified.\n\n"
        f"Example: frogml {noun} download ml-local my-{noun} 1.0.0 ./out"
    )

    @group.command("info")
    @click.argument("repository")
    @click.argument("name")
    @click.argument("version")
    @namespace_option
    @json_option
    @pass_storage
    def info(
        storage: StorageApi,
        repository: str,
        name: str,
        version: str,
        namespace: str | None,
        as_json: bool,
    ) -> None:
        read = storage.get_model_info if kind is EntityKind.MODEL else storage.get_dataset_info
        found = read(repository, name, version, namespace)
        if as_json:
            emit_json(version_json(found))
        else:
            print_version(found)

    info.__doc__ = (
        f"Show a {noun} version's files, sizes, checksums and properties.\n\n"
        f"Example: frogml {noun} info ml-local my-{noun} 1.0.0 --json"
    )

    @group.command("versions")
    @click.argument("repository")
    @click.argument("name")
    @namespace_option
    @json_option
    @pass_storage
    def versions(
        storage: StorageApi, repository: str, name: str, namespace: str | None, as_json: bool
    ) -> None:
        lister = (
            storage.list_model_versions
            if kind is EntityKind.MODEL
            else storage.list_dataset_versions
        )
        found = lister(repository, name, namespace)
        if as_json:
            emit_json(versions_json(found))
            return
        for summary in found:
            click.echo(f"{summary.version}\t{summary.created.isoformat()}")

    versions.__doc__ = (
        f"List the versions of a {noun}, newest first.\n\n"
        f"Example: frogml {noun} versions ml-local my-{noun}"
    )
