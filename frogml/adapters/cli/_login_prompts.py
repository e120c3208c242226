"""The questions of ``frogml login --interactive``; a wrong answer is asked again."""

from __future__ import annotations

import getpass
import warnings

import rich_click as click

from frogml.adapters.cli._terminal import shown
from frogml.domain.errors import ConfigurationError, ValidationError
from frogml.domain.ports.credentials import Credentials, ServerCatalog, ServerEntry

__all__ = ["DIALOG_ON_STDERR", "ask_credentials", "ask_secret", "ask_server"]

DIALOG_ON_STDERR = "frogml.dialog_on_stderr"
"""``ctx.meta`` key: True when stdout is for a document alone (``--json``), so
the list of servers goes to stderr too (questions always do)."""

# JFrog's client numbers the methods 0, 1, 2 in this order: its answers work here too.
_METHODS = ("password", "token", "anonymous")


def _method(value: str) -> str:
    answer = value.strip().lower()
    if answer.isascii() and answer.isdigit() and int(answer) < len(_METHODS):
        return _METHODS[int(answer)]
    if answer in _METHODS:
        return answer
    raise click.UsageError(f"{value!r} is not one of password (0), token (1) or anonymous (2)")


def _url(value: str) -> str:
    from frogml.domain.model.server import normalize_server_url

    try:
        return normalize_server_url(value)
    except ValidationError as exc:
        raise click.UsageError(str(exc)) from exc


def _not_blank(value: str) -> str:
    if not value.strip():
        raise click.UsageError("an answer is needed")
    return value.strip()


def ask_secret(text: str) -> str:
    """A secret, asked without echo. Off a terminal, getpass can only warn that the
    answer may be echoed: its one ``Warning:`` line says so, without Python's
    ``GetPassWarning`` source line on top."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", getpass.GetPassWarning)
        answer: str = click.prompt(text, hide_input=True, value_proc=_secret, err=True)
    return answer


def _secret(value: str) -> str:
    if not value:
        raise click.UsageError("an answer is needed")
    return value


def ask_credentials(url: str | None = None) -> Credentials:
    """Ask for the URL (unless given), then how to authenticate and the secrets."""
    url = url or click.prompt("Artifactory URL", value_proc=_url, err=True)
    how = click.prompt(
        "Authenticate with (0) password, (1) token or (2) anonymous",
        value_proc=_method,
        default="password",
        err=True,
    )
    if how == "anonymous":
        return Credentials(url=url)
    if how == "token":
        token = ask_secret("Access token")
        return Credentials(url=url, access_token=token)
    user = click.prompt("Username", value_proc=_not_blank, err=True)
    password = ask_secret("Password")
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
    ctx = click.get_current_context(silent=True)
    err = bool(ctx is not None and ctx.meta.get(DIALOG_ON_STDERR))
    click.echo(f"Servers in {shown(catalog.location)}:", err=err)
    for number, entry in enumerate(servers, start=1):
        found = entry.credentials
        line = f"{shown(entry.server_id)}  {shown(found.url)}  ({shown(found.identity)})"
        click.echo(f"  {number}) {line}", err=err)
    click.echo(f"  {len(servers) + 1}) a new server", err=err)
    default = next((n for n, e in enumerate(servers, start=1) if e.is_default), 1)
    choice: int = click.prompt(
        "Choose", type=click.IntRange(1, len(servers) + 1), default=default, err=True
    )
    return servers[choice - 1] if choice <= len(servers) else ask_credentials()
