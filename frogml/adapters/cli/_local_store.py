"""When no server is configured: the one plain notice, ``--require-server``, and CI.

The library only logs that it fell back to the embedded store; the CLI tells a person
once, in words, on stderr. ``--quiet`` and ``--json`` silence it (the JSON document
carries ``fallback_store`` instead), except in CI, where a run that "uploaded" to the
runner's disk must say so in the log.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import rich_click as click

__all__ = [
    "REQUIRE_SERVER_VARIABLE",
    "announce_fallback",
    "current_require_server",
    "fallback_field",
    "in_ci",
    "notice",
    "require_server_option",
]

F = TypeVar("F", bound=Callable[..., Any])

REQUIRE_SERVER_VARIABLE = "FROGML_REQUIRE_SERVER"
_REQUIRED = "frogml.require_server"
_FALLBACK = "frogml.fallback_store"
_ANNOUNCED = "frogml.fallback_announced"
_FALSE = ("", "0", "false", "no", "off")


def _remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_REQUIRED] = True  # meta is shared by the group and its commands


def require_server_option(func: F) -> F:
    """``--require-server``: no server configured is a configuration error."""
    return click.option(
        "--require-server",
        is_flag=True,
        expose_value=False,
        callback=_remember,
        help="Fail (configuration error) instead of using the local store when no server "
        f"is configured (env {REQUIRE_SERVER_VARIABLE}=1).",
    )(func)


def current_require_server() -> bool | None:
    """True when ``--require-server`` was given this run; None leaves it to the
    environment (``FROGML_REQUIRE_SERVER``)."""
    ctx = click.get_current_context(silent=True)
    return True if ctx is not None and ctx.meta.get(_REQUIRED) else None


def in_ci(env: Mapping[str, str]) -> bool:
    """True when ``CI`` is set to anything but an empty or false value."""
    return env.get("CI", "").strip().lower() not in _FALSE


def notice(store: str, *, ci: bool) -> str:
    """The words a person reads when the embedded store is used because nothing else is."""
    line = (
        f"No server configured: using the local store at {store}; "
        "run `frogml login` to use Artifactory"
    )
    if ci:
        line += (
            f" (in CI, set {REQUIRE_SERVER_VARIABLE}=1 or pass --require-server to fail instead)"
        )
    return line


def announce_fallback(ctx: click.Context, fallback_store: str | None) -> None:
    """Remember the fallback for the JSON document, and tell it once on stderr: not
    with ``--quiet`` or ``--json``, unless ``CI`` is set."""
    ctx.meta[_FALLBACK] = fallback_store
    if fallback_store is None or ctx.meta.get(_ANNOUNCED):
        return
    ctx.meta[_ANNOUNCED] = True
    ci = in_ci(os.environ)
    silenced = bool(ctx.meta.get("frogml.quiet") or ctx.params.get("quiet"))
    silenced = silenced or bool(ctx.params.get("as_json"))
    if ci or not silenced:
        click.echo(notice(fallback_store, ci=ci), err=True)


def fallback_field(document: object) -> object:
    """``document`` with ``"fallback_store"`` (the local store's folder, else null) when
    it is an object and this run built a storage."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or _FALLBACK not in ctx.meta or not isinstance(document, dict):
        return document
    return {**document, "fallback_store": ctx.meta[_FALLBACK]}
