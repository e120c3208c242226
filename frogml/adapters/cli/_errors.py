"""The one place where errors become messages and exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

import rich_click as click

from frogml.adapters.cli._terminal import shown_line
from frogml.domain.errors import (
    AlreadyExistsError,
    AuthenticationError,
    ConfigurationError,
    FrogMLError,
    IntegrityError,
    InterruptedTransferError,
    LocalFileError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    TargetConflictError,
    TransientError,
    ValidationError,
)

__all__ = [
    "EXIT_AUTH",
    "EXIT_CONFIGURATION",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_KINDS",
    "EXIT_LOCAL_FILE",
    "EXIT_NOT_FOUND",
    "EXIT_USAGE",
    "ExitKind",
    "environment_line",
    "exit_code_for",
    "report",
    "usage_line",
]

EXIT_FAILURE = 1  # network, server or integrity (and a failed `doctor` check)
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4  # not found, or a conflict with what exists
EXIT_CONFIGURATION = 5
EXIT_LOCAL_FILE = 6
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class ExitKind:
    """One kind of failure: its exit code, its name in the README's table, and the
    error classes (with their subclasses) that are of this kind."""

    code: int
    name: str
    errors: tuple[type[FrogMLError], ...]


# The README's exit-code table, in one place; a test walks the whole error tree and
# checks that every class falls in exactly one kind.
EXIT_KINDS: tuple[ExitKind, ...] = (
    ExitKind(EXIT_USAGE, "usage", (ValidationError,)),
    ExitKind(EXIT_CONFIGURATION, "configuration", (ConfigurationError,)),
    ExitKind(EXIT_AUTH, "auth", (AuthenticationError, PermissionDeniedError)),
    ExitKind(
        EXIT_NOT_FOUND,
        "not found or conflict",
        (NotFoundError, AlreadyExistsError, TargetConflictError),
    ),
    ExitKind(EXIT_LOCAL_FILE, "local files", (LocalFileError,)),
    ExitKind(
        EXIT_FAILURE,
        "network, server and integrity",
        (TransientError, ProtocolError, IntegrityError),
    ),
    ExitKind(EXIT_INTERRUPTED, "interrupted", (InterruptedTransferError,)),
)


def exit_code_for(error: FrogMLError) -> int:
    """The exit code of the kind ``error`` is of (:data:`EXIT_KINDS`); 1 for an error
    of no kind (a bare FrogMLError from an adapter of someone else's)."""
    for kind in EXIT_KINDS:
        if isinstance(error, kind.errors):
            return kind.code
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
    click.echo(f"Error: {shown_line(_hinted(error, env))}", err=True)
    return exit_code_for(error)


def usage_line(error: click.UsageError) -> str:
    """One line for a usage error: the message and where the help is."""
    command = error.ctx.command_path if error.ctx is not None else "frogml"
    message = " ".join(error.format_message().split())
    return f"Error: {message} (see `{command} --help`)"


def environment_line(error: click.UsageError) -> str | None:
    """One line for an option whose bad value came from its environment variable
    (``JFML_INSECURE=maybe``): a configuration error, not a usage one; None otherwise."""
    from click.core import ParameterSource

    param, ctx = getattr(error, "param", None), error.ctx
    if param is None or ctx is None or param.name is None:
        return None
    if ctx.get_parameter_source(param.name) is not ParameterSource.ENVIRONMENT:
        return None
    names = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar or [])
    name = next((n for n in names if n in os.environ), names[0] if names else param.name)
    message = " ".join(error.message.split())
    return (
        f"Error: the environment variable {name} is invalid: {message} "
        f"(fix or unset it; see `{ctx.command_path} --help`)"
    )
