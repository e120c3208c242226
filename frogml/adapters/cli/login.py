"""``frogml login``, ``logout``, ``whoami`` and ``config show``.

Built by :func:`login_commands` from what the composition root injects, so this module
imports no other adapter. Domain errors propagate to the root group, which prints one
line and picks the exit code; conflicting options are ValidationErrors (exit 2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import rich_click as click

from frogml.adapters.cli._common import json_option
from frogml.adapters.cli._login_options import (
    conflict_in,
    credentials_from_options,
    exposed_secret_warning,
    read_token,
)
from frogml.adapters.cli._login_prompts import DIALOG_ON_STDERR, ask_server
from frogml.adapters.cli._login_reuse import reuse as _reuse
from frogml.adapters.cli._server import server_option
from frogml.adapters.cli._terminal import shown
from frogml.adapters.cli._whoami import emit_json as _emit
from frogml.adapters.cli._whoami import whoami_json as _whoami_json
from frogml.adapters.cli._whoami import whoami_lines as _whoami_lines
from frogml.domain.errors import FrogMLError, ValidationError
from frogml.domain.ports.credentials import (
    Credentials,
    CredentialStore,
    ServerCatalog,
    ServerEntry,
)
from frogml.domain.services.login import LoginResult

__all__ = ["LoginUseCase", "login_commands"]


class LoginUseCase(Protocol):
    """What ``frogml login`` calls (``frogml.domain.services.login.Login``)."""

    def __call__(
        self, credentials: Credentials, *, server_id: str | None = None, exchange: bool = True
    ) -> LoginResult: ...


def _print_result(result: LoginResult, *, as_json: bool) -> None:
    if as_json:
        _emit(
            {
                "url": result.credentials.url,
                "identity": result.identity,
                "server_id": result.server_id,
                "location": result.location,
                "exchanged": result.exchanged,
                "damaged_copy": result.damaged_copy,
            }
        )
        return
    click.echo(f"Logged in to {shown(result.credentials.url)} as {shown(result.identity)}")
    how = " (the password was exchanged for an access token)" if result.exchanged else ""
    click.echo(f"Saved as server '{shown(result.server_id)}' in {shown(result.location)}{how}")
    if result.damaged_copy is not None:
        click.echo(
            f"Repaired {shown(result.location)};"
            f" the damaged file is kept as {shown(result.damaged_copy)}"
        )


def _login_command(
    login: Callable[[], LoginUseCase],
    store: Callable[[], CredentialStore],
    jfrog_cli: Callable[[], ServerCatalog],
) -> click.Command:
    @click.command("login")
    @click.option("--url", help="Server URL, e.g. https://acme.jfrog.io/artifactory.")
    @click.option("--username", "-u", help="User name (the password is asked for).")
    @click.option("--password", help="Password; asked for without echo when left out.")
    @click.option("--token", help="An access token.")
    @click.option("--token-stdin", is_flag=True, help="Read the access token from stdin.")
    @click.option("--anonymous", is_flag=True, help="Use the server without credentials.")
    @click.option("--interactive", "-i", is_flag=True, help="Choose or describe a server.")
    @click.option("--server-id", help="The name to save the server under.")
    @json_option
    def login_cmd(
        url: str | None,
        username: str | None,
        password: str | None,
        token: str | None,
        token_stdin: bool,
        anonymous: bool,
        interactive: bool,
        server_id: str | None,
        as_json: bool,
    ) -> None:
        """Check credentials against a server and save it as the default.

        With no option: reuse ~/.frogml/config.json, else JFrog CLI's default server,
        else ask. The secret is never echoed; the file is private (0600). A damaged
        file is repaired, its servers that can still be read kept and a copy of it
        left beside it (config.json.bak).

        Example: frogml login --url https://acme.jfrog.io --token-stdin < token.txt
        """
        options: dict[str, object] = {
            "--url": url,
            "--username": username,
            "--password": password,
            "--token": token,
            "--token-stdin": token_stdin,
            "--anonymous": anonymous,
            "--interactive": interactive,
            "--server-id": server_id,
        }
        ctx = click.get_current_context()
        assert ctx is not None
        ctx.meta[DIALOG_ON_STDERR] = as_json
        conflict = conflict_in({k: v is not None and v is not False for k, v in options.items()})
        if conflict:
            raise ValidationError(conflict)
        exposed = exposed_secret_warning(password=password, token=token)
        token = read_token(token_stdin, token)
        exchange = True
        if interactive:
            picked: ServerEntry | Credentials = ask_server(jfrog_cli())
        elif url is not None:
            picked = credentials_from_options(url, username, password, token, anonymous)
        else:
            reused = _reuse(store(), jfrog_cli(), server_id, as_json=as_json)
            picked = ask_server(jfrog_cli()) if reused is None else reused[0]
            exchange = reused is None or not reused[1]
        if isinstance(picked, ServerEntry):
            server_id = server_id or picked.server_id
            picked = picked.credentials
        _print_result(login()(picked, server_id=server_id, exchange=exchange), as_json=as_json)
        if exposed is not None:  # once the secret proved real (a failure stays one line)
            click.echo(exposed, err=True)

    return login_cmd


def _logout_command(
    store: Callable[[], CredentialStore], resolve: Callable[[], Credentials | None]
) -> click.Command:
    @click.command("logout")
    @click.option("--server-id", help="Forget this server instead of the default one.")
    @click.option("--all", "everything", is_flag=True, help="Forget every saved server.")
    @json_option
    def logout_cmd(server_id: str | None, everything: bool, as_json: bool) -> None:
        """Remove saved credentials from ~/.frogml/config.json.

        Example: frogml logout --all
        """
        if server_id and everything:
            raise ValidationError("--server-id cannot be combined with --all")
        target = store()
        removed: list[ServerEntry] = []
        while (gone := target.remove(server_id)) is not None:
            removed.append(gone)
            if not everything:
                break
        if not removed and server_id:
            raise ValidationError(f"no saved server has the id {server_id!r}", field="server_id")
        if as_json:
            gone_json = [{"server_id": g.server_id, "url": g.credentials.url} for g in removed]
            still = _in_force(resolve)
            _emit({"removed": gone_json, "still_in_force": None if still is None else still.url})
            return
        if not removed:
            click.echo(f"Not logged in: {shown(target.location)} holds no server.")
        for gone in removed:
            click.echo(
                f"Logged out of {shown(gone.credentials.url)} (server '{shown(gone.server_id)}')"
            )
        _still_in_force(resolve)

    return logout_cmd


def _in_force(resolve: Callable[[], Credentials | None]) -> Credentials | None:
    try:
        return resolve()
    except FrogMLError:
        return None


def _still_in_force(resolve: Callable[[], Credentials | None]) -> None:
    found = _in_force(resolve)
    if found is not None:
        click.echo(f"Still in force: {shown(found.url)} from {shown(found.source)}")


def _whoami_command(name: str, resolve: Callable[[], Credentials | None]) -> click.Command:
    command = "config show" if name == "show" else name

    @click.command(
        name,
        help=(
            "Which credentials are in force: their source, URL, user and masked token.\n\n"
            f"Example: frogml {command} --json"
        ),
    )
    @json_option
    @server_option
    def whoami_cmd(as_json: bool) -> None:
        found = resolve()
        if as_json:
            _emit(_whoami_json(found))
            return
        for line in _whoami_lines(found):
            click.echo(line)

    return whoami_cmd


def login_commands(
    *,
    login: Callable[[], LoginUseCase],
    store: Callable[[], CredentialStore],
    jfrog_cli: Callable[[], ServerCatalog],
    resolve: Callable[[], Credentials | None],
) -> list[click.Command]:
    """``login``, ``logout``, ``whoami`` and the ``config`` group (``config show``).

    ``login`` builds the use case, ``store`` opens ~/.frogml/config.json, ``jfrog_cli``
    opens JFrog CLI's config, ``resolve`` returns the credentials in force (or None for
    the embedded store). Each is called only when a command needs it.
    """
    config = click.RichGroup(
        name="config", help="Show frogml's configuration.\n\nExample: frogml config show --json"
    )
    config.add_command(_whoami_command("show", resolve))
    return [
        _login_command(login, store, jfrog_cli),
        _logout_command(store, resolve),
        _whoami_command("whoami", resolve),
        config,
    ]
