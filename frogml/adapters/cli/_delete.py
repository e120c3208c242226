"""``frogml model delete`` and ``frogml dataset delete``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import rich_click as click

from frogml.adapters.cli._api import StorageApi
from frogml.adapters.cli._common import json_option, namespace_option, pass_storage
from frogml.adapters.cli._format import human_size
from frogml.adapters.cli._terminal import shown

if TYPE_CHECKING:
    from frogml.domain.services.delete_version import DeletedVersion

__all__ = ["add_delete_command"]

_NOT_A_TERMINAL = (
    "deleting asks for confirmation, and standard input is not a terminal: "
    "add --yes to delete without asking"
)


def _what(gone: DeletedVersion) -> str:
    ref = gone.ref
    return (
        f"{ref.kind.value} {shown(ref.entity_path)} {shown(ref.version)}"
        f" from repository {shown(ref.repository)}"
        f" ({gone.files} file(s), {human_size(gone.bytes)})"
    )


def _show(gone: DeletedVersion, *, as_json: bool) -> None:
    if as_json:
        from frogml.adapters.cli._output import deleted_json, emit_json

        emit_json(deleted_json(gone))
    elif gone.dry_run:
        click.echo(f"Dry run: would delete {_what(gone)}. Nothing was deleted.")
    else:
        click.echo(f"Deleted {_what(gone)}.")


def add_delete_command(group: click.Group, noun: str) -> None:
    """Attach ``delete REPOSITORY NAME VERSION`` for ``noun`` to ``group``."""

    @group.command(
        "delete",
        help=(
            f"Delete a published {noun} version: its files, manifest and properties.\n\n"
            "Asks for confirmation on a terminal; --yes deletes without asking (needed\n"
            "off a terminal). The version's name may be published again afterwards.\n"
            "VERSION must be a name: 'latest' is refused here.\n\n"
            f"Example: frogml {noun} delete ml-local my-{noun} 1.0.0 --yes"
        ),
    )
    @click.argument("repository")
    @click.argument("name")
    @click.argument("version")
    @namespace_option
    @click.option("--yes", "-y", is_flag=True, help="Delete without asking.")
    @click.option(
        "--dry-run", is_flag=True, help="Check, and say what would be deleted; delete nothing."
    )
    @json_option
    @pass_storage
    @click.pass_context
    def delete(
        ctx: click.Context,
        storage: StorageApi,
        repository: str,
        name: str,
        version: str,
        namespace: str | None,
        yes: bool,
        dry_run: bool,
        as_json: bool,
    ) -> None:
        from frogml.domain.model.kind import EntityKind

        address = (EntityKind(noun), repository, name, version, namespace)
        if dry_run:
            _show(storage.delete_version(*address, dry_run=True), as_json=as_json)
            return
        if not yes:
            if not sys.stdin.isatty():
                raise click.UsageError(_NOT_A_TERMINAL)
            planned = storage.delete_version(*address, dry_run=True)  # fails when missing
            question = f"Delete {_what(planned)}? This cannot be undone."
            if not click.confirm(question, default=False, err=True):
                click.echo("Nothing was deleted.", err=True)
                ctx.exit(1)
        _show(storage.delete_version(*address), as_json=as_json)
