"""``--server ID``: which saved login a command uses, before the command or on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import rich_click as click

__all__ = ["current_server", "server_option"]

F = TypeVar("F", bound=Callable[..., Any])

_META = "frogml.server"


def _remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        if not value.strip():
            raise click.BadParameter("must not be empty", ctx=ctx, param=param)
        ctx.meta[_META] = value.strip()  # meta is shared by the group and its commands


def server_option(func: F) -> F:
    """``--server ID``: use the login ``frogml login`` saved as ID for this run (it wins
    over JF_URL/JF_ACCESS_TOKEN and the default server). Applies to a command object too."""
    return click.option(
        "--server",
        metavar="ID",
        default=None,
        expose_value=False,
        callback=_remember,
        help="Use the login saved as server ID (see `frogml login --server-id`) for this "
        "command; it wins over JF_URL and the default server.",
    )(func)


def current_server() -> str | None:
    """The server id ``--server`` named for this run, if any."""
    ctx = click.get_current_context(silent=True)
    return None if ctx is None else ctx.meta.get(_META)
