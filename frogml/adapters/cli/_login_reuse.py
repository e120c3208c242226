"""Which saved server ``frogml login`` without options reuses."""

from __future__ import annotations

import rich_click as click

from frogml.adapters.cli._terminal import shown, shown_line
from frogml.domain.errors import ConfigurationError, ValidationError
from frogml.domain.ports.credentials import CredentialStore, ServerCatalog, ServerEntry

__all__ = ["reuse", "saved"]


def saved(catalog: ServerCatalog, server_id: str | None) -> ServerEntry | None:
    """The server ``server_id`` of ``catalog``, else its default one."""
    servers = catalog.servers()
    if server_id:
        return next((e for e in servers if e.server_id == server_id), None)
    return next((e for e in servers if e.is_default), None)


def _saved_in_own(store: CredentialStore, server_id: str | None) -> ServerEntry | None:
    """The saved server to reuse; a damaged config file is passed over (logging in
    repairs it), so that login is always the way out."""
    try:
        return saved(store, server_id)
    except ConfigurationError as exc:
        click.echo(shown_line(f"Warning: {exc.message}; its servers are not reused"), err=True)
        return None


def reuse(
    store: CredentialStore, jfrog_cli: ServerCatalog, server_id: str | None, *, as_json: bool
) -> tuple[ServerEntry, bool] | None:
    """A saved server (frogml's own first, then JFrog CLI's), and whether it is frogml's."""
    for catalog, own in ((store, True), (jfrog_cli, False)):
        entry = _saved_in_own(store, server_id) if own else saved(catalog, server_id)
        if entry is not None:
            # with --json, stdout holds the document alone
            click.echo(
                f"Using server '{shown(entry.server_id)}' from {shown(catalog.location)}",
                err=as_json,
            )
            return entry, own
    if server_id:
        raise ValidationError(
            f"no saved server has the id {server_id!r}",
            field="server_id",
            hint=f"see {store.location}, or give --url",
        )
    return None
