"""``frogml repos``: the machine-learning repositories of the server (or embedded store)."""

from __future__ import annotations

import rich_click as click

from frogml.adapters.cli._api import StorageApi
from frogml.adapters.cli._common import json_option, pass_storage
from frogml.adapters.cli._format import print_table
from frogml.adapters.cli._terminal import shown

__all__ = ["repos_command"]


def repos_command() -> click.Command:
    """The command; it lists what the configured store holds."""

    @click.command("repos")
    @json_option
    @pass_storage
    def repos(storage: StorageApi, as_json: bool) -> None:
        """List the machine-learning repositories (those that hold models and datasets)
        that the credentials may see, or those of the embedded store.

        Example: frogml repos --json
        """
        found = storage.list_repositories()
        if as_json:
            from frogml.adapters.cli._output import emit_json, repositories_json

            emit_json(repositories_json(found))
            return
        if not found:
            click.echo(f"No machine-learning repository in {shown(storage.location)}.", err=True)
            return
        print_table(
            ["repository", "type", "description"],
            [[r.key, r.rclass, r.description or "-"] for r in found],
        )

    return repos
