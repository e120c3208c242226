"""Use case: decide which credentials are in force."""

from __future__ import annotations

from dataclasses import replace

from frogml.domain.errors import ConfigurationError
from frogml.domain.model.server import same_server
from frogml.domain.ports.credentials import Credentials, CredentialSource, ServerCatalog

__all__ = ["resolve_credentials"]


def resolve_credentials(
    *,
    explicit: Credentials | None = None,
    environment: CredentialSource | None = None,
    saved: ServerCatalog | None = None,
    server_id: str | None = None,
) -> Credentials | None:
    """The credentials in force, or None when nothing is configured.

    Rules:

    - explicit settings (``AuthConfig``) win, as given: a URL alone is anonymous access;
    - then, when ``server_id`` names one, the login saved under that id (``--server``),
      whatever the environment says; an id nothing was saved under is a
      ConfigurationError naming the saved ids;
    - then the environment (``JF_URL`` with ``JF_ACCESS_TOKEN``);
    - ``JF_URL`` without a token takes the login ``frogml login`` saved for the same
      server (``same_server``: ``http://host``, ``http://host/artifactory`` and a trailing
      slash are one server; the default server first when several match), and the
      source names both; without such a login it is anonymous access;
    - then the default server saved by ``frogml login`` (``saved``);
    - a later source is never read once an earlier one answered in full, so a broken
      config file does not matter while the environment gives a URL and a token (or
      explicit settings are given); an error of a source that is read is not swallowed
      (with ``JF_URL`` alone the saved logins are read, so a damaged file is an error);
    - None means nothing is configured and the caller uses the embedded store.
    """
    if explicit is not None:
        return explicit
    if server_id is not None:
        return _saved_as(server_id, saved)
    found = None if environment is None else environment.load()
    if found is not None:
        return found if not found.is_anonymous or saved is None else _with_login(found, saved)
    if saved is None:
        return None
    return next((e.credentials for e in saved.servers() if e.is_default), None)


def _saved_as(server_id: str, saved: ServerCatalog | None) -> Credentials:
    """The login saved under ``server_id``."""
    entries = [] if saved is None else saved.servers()
    for entry in entries:
        if entry.server_id == server_id:
            return replace(
                entry.credentials,
                source=f"server '{server_id}' in {entry.credentials.source}",
            )
    known = ", ".join(repr(e.server_id) for e in entries) or "none"
    where = "" if saved is None else f" in {saved.location}"
    raise ConfigurationError(
        f"no login is saved as server {server_id!r}{where} (saved: {known})",
        source="server_id",
        hint=f"log in to it with `frogml login --server-id {server_id} --url URL ...`",
    )


def _with_login(found: Credentials, saved: ServerCatalog) -> Credentials:
    """``found`` (a URL alone) with the secret of a saved login for the same server."""
    matches = [e for e in saved.servers() if same_server(e.credentials.url, found.url)]
    matches.sort(key=lambda e: not e.is_default)
    login = next((e for e in matches if not e.credentials.is_anonymous), None)
    if login is None:
        return found
    return replace(
        login.credentials,
        url=found.url,
        source=(
            f"{found.source} URL with the login saved as server "
            f"'{login.server_id}' in {login.credentials.source}"
        ),
    )
