"""``frogml model ...`` and ``frogml dataset ...``: one definition, built for a kind.

Both groups have upload, download, info, versions, ls and delete; a model's upload also
takes its format, dependency files and a code archive. Kinds are named by their noun here so
that ``frogml --help`` loads no domain module.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Callable
from typing import Any, TypeVar

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
from frogml.adapters.cli._delete import add_delete_command
from frogml.adapters.cli._reads import add_read_commands
from frogml.adapters.cli._run import run_upload
from frogml.adapters.cli._server import server_option

__all__ = ["entity_group"]

F = TypeVar("F", bound=Callable[..., Any])

_UPLOAD_EXAMPLES = {
    "model": "frogml model upload ml-local fraud ./model --framework scikit-learn "
    "--framework-version 1.5.2 --format pkl -p stage=dev --exclude '*.tmp'",
    "dataset": "frogml dataset upload ml-local transactions ./data -v 2026-11 "
    "--include '*.parquet'",
}


def _not_blank(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise click.BadParameter("must not be empty", ctx=ctx, param=param)
    return value


def _model_options(func: F) -> F:
    """What only a model has: its format (SerializationMetadata) and extra files."""
    runtime_version = ".".join(platform.python_version_tuple()[:2])
    options = [
        click.option(
            "--framework", required=True, callback=_not_blank, help="Framework, e.g. pytorch."
        ),
        click.option(
            "--framework-version",
            required=True,
            callback=_not_blank,
            help="Framework version, e.g. 2.5.1.",
        ),
        click.option(
            "--format",
            "serialization_format",
            required=True,
            callback=_not_blank,
            help="Serialization format, e.g. pt.",
        ),
        click.option(
            "--runtime",
            default="python",
            show_default=True,
            callback=_not_blank,
            help="Runtime of the model.",
        ),
        click.option(
            "--runtime-version",
            default=runtime_version,
            show_default=True,
            callback=_not_blank,
            help="Runtime version.",
        ),
        click.option(
            "--dependency",
            "-d",
            "dependencies",
            multiple=True,
            type=click.Path(),
            help="A dependency file (e.g. requirements.txt); repeat for more.",
        ),
        click.option(
            "--code-archive", type=click.Path(), default=None, help="An archive of the code."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _no_options(func: F) -> F:
    return func


def _model_fields(options: dict[str, Any]) -> dict[str, Any]:
    """The upload request's model fields from the model options (none for a dataset)."""
    if not options:
        return {}
    from frogml.domain.model.metadata import SerializationMetadata

    code = options["code_archive"]
    return {
        "model_format": SerializationMetadata(
            framework=options["framework"],
            framework_version=options["framework_version"],
            serialization_format=options["serialization_format"],
            runtime=options["runtime"],
            runtime_version=options["runtime_version"],
        ),
        "dependency_paths": tuple(os.path.expanduser(p) for p in options["dependencies"]),
        "code_archive_path": None if code is None else os.path.expanduser(code),
    }


def _add_upload(group: click.Group, noun: str) -> None:
    extra_options = _model_options if noun == "model" else _no_options

    @group.command(
        "upload",
        help=(
            f"Publish PATH (a file or a folder) as a new {noun} version.\n\n"
            "A .frogmlignore file (gitignore syntax) in the folder, --include and --exclude\n"
            "choose its files.\n\n"
            f"Example: {_UPLOAD_EXAMPLES[noun]}"
        ),
    )
    @click.argument("repository")
    @click.argument("name")
    @click.argument("path", type=click.Path())
    @extra_options
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
        **model: Any,
    ) -> None:
        from frogml.domain.model.kind import EntityKind
        from frogml.domain.services.upload import UploadRequest

        request = UploadRequest(
            kind=EntityKind(noun),
            repository=repository,
            name=name,
            source_path=os.path.expanduser(path),
            namespace=namespace,
            version=version,
            properties=parse_properties(properties),
            include=include,
            exclude=exclude,
            **_model_fields(model),
        )
        run_upload(storage, request, dry_run=dry_run, as_json=as_json, quiet=quiet, verbose=verbose)


def entity_group(noun: str) -> click.Group:
    """The ``frogml <noun>`` group (``model`` or ``dataset``) with all its commands."""
    group = click.RichGroup(
        name=noun,
        help=(
            f"Upload, download, list and delete {noun} versions.\n\n"
            f"Example: frogml {noun} ls ml-local"
        ),
    )
    _add_upload(group, noun)
    add_read_commands(group, noun)
    add_delete_command(group, noun)
    for command in group.commands.values():
        server_option(command)  # `--server ID` on every command, as before the command
    return group
