"""Parsing the options of ``frogml login``: conflicts, the token from stdin, prompts."""

from __future__ import annotations

import sys

from frogml.adapters.cli._login_prompts import ask_credentials, ask_secret
from frogml.domain.errors import ValidationError
from frogml.domain.ports.credentials import Credentials

__all__ = ["conflict_in", "credentials_from_options", "exposed_secret_warning", "read_token"]


def conflict_in(options: dict[str, object]) -> str | None:
    """The first contradiction among the given options, as a sentence."""
    given = {name for name, value in options.items() if value}
    token = next((n for n in ("--token", "--token-stdin") if n in given), None)
    basic = [n for n in ("--username", "--password") if n in given]
    secret = [*basic, *([token] if token else [])]
    if "--interactive" in given and given - {"--interactive", "--server-id"}:
        other = sorted(given - {"--interactive", "--server-id"})[0]
        return f"--interactive cannot be combined with {other}"
    if {"--token", "--token-stdin"} <= given:
        return "--token and --token-stdin cannot be combined"
    if token and basic:
        return f"{token} cannot be combined with {basic[0]}"
    if "--anonymous" in given and secret:
        return f"--anonymous cannot be combined with {secret[0]}"
    if "--password" in given and "--username" not in given:
        return "--password needs --username"
    needs_url = [*secret, *(["--anonymous"] if "--anonymous" in given else [])]
    if needs_url and "--url" not in given:
        return f"{needs_url[0]} needs --url"
    return None


def exposed_secret_warning(*, password: str | None, token: str | None) -> str | None:
    """The warning for a secret typed on the command line, where `ps` shows it to every
    user of the machine and the shell keeps it in its history; None when none was."""
    if token is not None:
        return (
            "Warning: a token given with --token is visible to other users (ps) and stays "
            "in your shell history; prefer --token-stdin < FILE"
        )
    if password is not None:
        return (
            "Warning: a password given with --password is visible to other users (ps) and "
            "stays in your shell history; leave it out to be asked for it without echo"
        )
    return None


def read_token(stdin: bool, token: str | None) -> str | None:
    if not stdin:
        return token
    value = sys.stdin.read().strip()
    if not value:
        raise ValidationError("--token-stdin read no token from standard input", field="token")
    return value


def _given(value: str, option: str) -> str:
    if not value.strip():
        raise ValidationError(f"{option} is empty", field=option.lstrip("-"))
    return value.strip() if option == "--username" else value


def credentials_from_options(
    url: str, username: str | None, password: str | None, token: str | None, anonymous: bool
) -> Credentials:
    if token is not None:
        return Credentials(url=url, access_token=_given(token, "--token"))
    if username is not None:
        username = _given(username, "--username")
        if password is None:
            password = ask_secret("Password")
        return Credentials(url=url, user=username, password=password)
    if anonymous:
        return Credentials(url=url)
    return ask_credentials(url)
