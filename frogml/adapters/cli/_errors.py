"""The one place where errors become messages and exit codes."""

from __future__ import annotations

import sys
from collections.abc import Mapping

import rich_click as click

from frogml.domain.errors import (
    AuthenticationError,
    FrogMLError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)

__all__ = [
    "EXIT_AUTH",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_USAGE",
    "exit_code_for",
    "report",
    "usage_line",
]

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_INTERRUPTED = 130


def exit_code_for(error: FrogMLError) -> int:
    """Documented exit codes: 2 usage, 3 auth or permission, 4 not found, else 1."""
    if isinstance(error, ValidationError):
        return EXIT_USAGE
    if isinstance(error, (AuthenticationError, PermissionDeniedError)):
        return EXIT_AUTH
    if isinstance(error, NotFoundError):
        return EXIT_NOT_FOUND
    return EXIT_FAILURE


_DEFAULT_AUTH_HINT = AuthenticationError("").hint


def _env_auth_hint(env: Mapping[str, str]) -> str | None:
    """What to fix when the server refused credentials the environment chose; it names
    only the variables that are set (None when JF_URL is not: `frogml login` chose)."""
    if not env.get("JF_URL", "").strip():
        return None
    if env.get("JF_ACCESS_TOKEN", "").strip():
        return (
            "the credentials come from JF_URL and JF_ACCESS_TOKEN, which take precedence "
            "over `frogml login`: fix or unset them"
        )
    return (
        "the server comes from JF_URL, which takes precedence over `frogml login`'s "
        'default server: log in to it with `frogml login --url "$JF_URL"`, or unset JF_URL'
    )


def _hinted(error: FrogMLError, env: Mapping[str, str] | None) -> str:
    """The error's line; a refusal of JF_* credentials points at them, not at login."""
    hint = None if env is None else _env_auth_hint(env)
    if isinstance(error, AuthenticationError) and hint and error.hint == _DEFAULT_AUTH_HINT:
        return f"{error.message} ({hint})"
    return str(error)


def report(error: FrogMLError, *, debug: bool = False, env: Mapping[str, str] | None = None) -> int:
    """Print one line for ``error`` on stderr (a traceback only in debug) and return its code.

    ``env`` is this run's environment: when it sets ``JF_URL``, a refusal of the
    credentials says to fix the variables that are set, or to log in to that server.
    """
    if debug:
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    click.echo(f"Error: {_hinted(error, env)}", err=True)
    return exit_code_for(error)


def usage_line(error: click.UsageError) -> str:
    """One line for a usage error: the message and where the help is."""
    command = error.ctx.command_path if error.ctx is not None else "frogml"
    message = " ".join(error.format_message().split())
    return f"Error: {message} (see `{command} --help`)"
