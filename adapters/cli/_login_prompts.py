"""The questions of ``frogml login --interactive``; a wrong answer is asked again."""

from __future__ import annotations

import rich_click as click

from domain.errors import ConfigurationError, ValidationError
from domain.ports.credentials import Credentials, ServerCatalog, ServerEntry
from domain.services.login import normalize_server_url

__all__ = ["ask_credentials", "ask_server"]

_METHODS = click.Choice(["password", "token", "anonymous"])


def _url(value: str) -> str:
    try:
        return normalize_server_url(value)
    except ValidationError as exc:
        raise click.UsageError(str(exc)) from exc


def _not_blank(value: str) -> str:
    if not value.strip():
        raise click.UsageError("an answer is needed")
    return value.strip()


def _secret(value: str) -> str:
    if not value:
        raise click.UsageError("an answer is needed")
    return value


def ask_credentials(url: str | None = None) -> Credentials:
    """Ask for the URL (unless given), then how to authenticate and the secrets."""
    url = url or click.prompt("Artifactory URL", value_proc=_url)
    how = click.prompt("Authenticate with", type=_METHODS, default="password")
    if how == "anonymous":
        return Credentials(url=url)
    if how == "token":
        token = click.prompt("Access token", hide_input=True, value_proc=_secret)
        return Credentials(url=url, access_token=token)
    user = click.prompt("Username", value_proc=_not_blank)
    password = click.prompt("Password", hide_input=True, value_proc=_secret)
    return Credentials(url=url, user=user, password=password)


def _known(catalog: ServerCatalog) -> list[ServerEntry]:
    try:
        return catalog.servers()
    except ConfigurationError as exc:
        click.echo(f"Note: {exc}", err=True)
        return []


def ask_server(catalog: ServerCatalog) -> ServerEntry | Credentials:
    """A server of JFrog CLI's config, or the credentials of a new one."""
    servers = _known(catalog)
    if not servers:
        return ask_credentials()
    click.echo(f"Servers in {catalog.location}:")
    for number, entry in enumerate(servers, start=1):
        found = entry.credentials
        click.echo(f"  {number}) {entry.server_id}  {found.url}  ({found.identity})")
    click.echo(f"  {len(servers) + 1}) a new server")
    default = next((n for n, e in enumerate(servers, start=1) if e.is_default), 1)
    choice: int = click.prompt("Choose", type=click.IntRange(1, len(servers) + 1), default=default)
    return servers[choice - 1] if choice <= len(servers) else ask_credentials()
