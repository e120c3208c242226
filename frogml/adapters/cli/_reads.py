"""The download, info, versions and ls commands of a kind (models or datasets)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import rich_click as click

from frogml.adapters.cli._api import StorageApi
from frogml.adapters.cli._common import (
    dry_run_option,
    exclude_option,
    force_option,
    include_option,
    json_option,
    namespace_option,
    pass_storage,
    progress_mode,
    quiet_option,
    verbose_option,
)
from frogml.adapters.cli._format import iso_time, print_table
from frogml.adapters.cli._progress import progress_for
from frogml.adapters.cli._render import print_version, show_download, show_plan
from frogml.adapters.cli._terminal import shown

__all__ = ["add_read_commands"]

F = TypeVar("F", bound=Callable[..., Any])


_MODEL_EXTRAS = (
    "A model's dependency files and code archive come only with --with-dependencies\n"
    "and --with-code, into dependencies/ and code/ under TARGET.\n\n"
)


def _model_download_options(func: F) -> F:
    func = click.option(
        "--with-code", is_flag=True, help="Also download the code archive, into code/."
    )(func)
    return click.option(
        "--with-dependencies",
        is_flag=True,
        help="Also download the dependency files, into dependencies/.",
    )(func)


def _no_options(func: F) -> F:
    return func


def _add_download(group: click.Group, noun: str) -> None:
    model = noun == "model"

    @group.command(
        "download",
        help=(
            f"Download a {noun} version into TARGET, every byte verified.\n\n"
            f"Files already present with the right SHA-256 are kept. Files with other\n"
            f"content stop the download before anything is written, unless --force.\n"
            f"--include/--exclude match the local paths (gitignore syntax).\n\n"
            f"{_MODEL_EXTRAS if model else ''}"
            f"Example: frogml {noun} download ml-local my-{noun} 1.0.0 ./out --exclude "
            f"'{'*.onnx' if noun == 'model' else '*.csv'}'"
        ),
    )
    @click.argument("repository")
    @click.argument("name")
    @click.argument("version")
    @click.argument("target", type=click.Path(file_okay=False))
    @(_model_download_options if model else _no_options)
    @namespace_option
    @include_option
    @exclude_option
    @force_option
    @dry_run_option
    @json_option
    @quiet_option
    @verbose_option
    @pass_storage
    def download(
        storage: StorageApi,
        repository: str,
        name: str,
        version: str,
        target: str,
        namespace: str | None,
        include: tuple[str, ...],
        exclude: tuple[str, ...],
        force: bool,
        dry_run: bool,
        as_json: bool,
        quiet: bool,
        verbose: bool,
        with_dependencies: bool = False,
        with_code: bool = False,
    ) -> None:
        from frogml.domain.model.kind import EntityKind
        from frogml.domain.services.download import DownloadRequest

        request = DownloadRequest(
            kind=EntityKind(noun),
            repository=repository,
            name=name,
            version=version,
            target_path=os.path.expanduser(target),
            namespace=namespace,
            include=include,
            exclude=exclude,
            with_dependencies=with_dependencies,
            with_code=with_code,
            overwrite=force,
        )
        if dry_run:
            plan = storage.plan_download(request)
            show_plan(plan, as_json=as_json)
            refusal = plan.refusal(overwrite=force)  # the real run's error, and exit code
            if refusal is not None:
                raise refusal
            return
        quiet, verbose = progress_mode(quiet=quiet, verbose=verbose, as_json=as_json)
        entity = name if namespace is None else f"{namespace}/{name}"
        events = progress_for(f"Downloading {entity} {version}", quiet=quiet, verbose=verbose)
        show_download(storage.download(request, progress=events), as_json=as_json)


def _add_info(group: click.Group, noun: str) -> None:
    @group.command(
        "info",
        help=(
            f"Show a {noun} version's files, sizes, checksums and properties.\n\n"
            f"Example: frogml {noun} info ml-local my-{noun} 1.0.0 --json"
        ),
    )
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
        from frogml.adapters.cli._output import emit_json, version_json
        from frogml.domain.model.kind import EntityKind

        found = storage.get_info(EntityKind(noun), repository, name, version, namespace)
        if as_json:
            emit_json(version_json(found))
        else:
            print_version(found)


def _add_versions(group: click.Group, noun: str) -> None:
    @group.command(
        "versions",
        help=(
            f"List the versions of a {noun}, newest first.\n\n"
            f"Example: frogml {noun} versions ml-local my-{noun}"
        ),
    )
    @click.argument("repository")
    @click.argument("name")
    @namespace_option
    @json_option
    @pass_storage
    def versions(
        storage: StorageApi, repository: str, name: str, namespace: str | None, as_json: bool
    ) -> None:
        from frogml.adapters.cli._output import emit_json, versions_json
        from frogml.domain.model.kind import EntityKind

        found = storage.list_versions(EntityKind(noun), repository, name, namespace)
        if as_json:
            emit_json(versions_json(found))
            return
        print_table(["version", "created"], [[s.version, iso_time(s.created)] for s in found])


def _add_ls(group: click.Group, noun: str) -> None:
    @group.command(
        "ls",
        help=(
            f"List the {noun}s of REPOSITORY that have a published version.\n\n"
            f"Example: frogml {noun} ls ml-local --json"
        ),
    )
    @click.argument("repository")
    @json_option
    @pass_storage
    def ls(storage: StorageApi, repository: str, as_json: bool) -> None:
        from frogml.adapters.cli._output import emit_json, entities_json
        from frogml.domain.model.kind import EntityKind

        found = storage.list_entities(EntityKind(noun), repository)
        if as_json:
            emit_json(entities_json(found))
            return
        if not found:
            click.echo(f"No {noun} in repository {shown(repository)}.", err=True)
            return
        print_table([noun, "namespace"], [[e.name, e.namespace or "-"] for e in found])


def add_read_commands(group: click.Group, noun: str) -> None:
    """Attach ``download``, ``info``, ``versions`` and ``ls`` for ``noun`` to ``group``."""
    _add_download(group, noun)
    _add_info(group, noun)
    _add_versions(group, noun)
    _add_ls(group, noun)
