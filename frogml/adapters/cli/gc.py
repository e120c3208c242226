"""``frogml gc``: free what the embedded store keeps but no version needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import rich_click as click

from frogml.adapters.cli._common import json_option
from frogml.adapters.cli._format import human_size
from frogml.adapters.cli._terminal import shown

if TYPE_CHECKING:
    from frogml.domain.ports.garbage import GarbageReport

__all__ = ["gc_command"]


def gc_command(collect: Callable[[bool], GarbageReport]) -> click.Command:
    """The command, over the clean-up the composition root injects."""

    @click.command("gc")
    @click.option("--dry-run", is_flag=True, help="Say what would be freed; remove nothing.")
    @json_option
    def gc(dry_run: bool, as_json: bool) -> None:
        """Clean the embedded store: contents no version uses any more (deleted versions)
        and uploads abandoned for more than a day. An upload in progress, in this or
        another process, loses nothing: the clean-up waits while it stores files.

        Example: frogml gc --dry-run
        """
        report = collect(dry_run)
        if as_json:
            from frogml.adapters.cli._output import emit_json, garbage_json

            emit_json(garbage_json(report))
            return
        verb = "Would free" if report.dry_run else "Freed"
        click.echo(
            f"{verb} {human_size(report.bytes_freed)} in {shown(report.location)}:"
            f" {report.blobs} unused file content(s) ({human_size(report.blob_bytes)}),"
            f" {report.stale_uploads} abandoned upload(s) ({human_size(report.stale_bytes)})."
        )
        if report.dry_run:
            click.echo("Dry run: nothing was removed.")

    return gc
