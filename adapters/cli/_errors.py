"""The one place where errors become messages and exit codes."""

from __future__ import annotations

import sys

import rich_click as click

from domain.errors import (
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


def report(error: FrogMLError, *, debug: bool = False) -> int:
    """Print one line for ``error`` on stderr (a traceback only in debug) and return its code."""
    if debug:
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    click.echo(f"Error: {error}", err=True)
    return exit_code_for(error)
