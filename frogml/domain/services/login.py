"""Use case: log in to a server and remember it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from frogml.domain.ports.credentials import Credentials, CredentialStore, ServerProbe

__all__ = ["Login", "LoginResult", "server_id_for"]


@dataclass(frozen=True)
class LoginResult:
    """What was saved, under which id and where; ``identity`` is who the server saw;
    ``damaged_copy`` is where the store kept its damaged file when saving repaired it."""

    credentials: Credentials
    identity: str
    server_id: str
    location: str
    exchanged: bool
    damaged_copy: str | None = None


def server_id_for(url: str) -> str:
    """A readable id for a server: its host, with the port after a dash."""
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    return host.replace(":", "-")


class Login:
    """Check credentials against their server, then save them as the default server.

    Rules: the URL must be http(s); the server must accept the credentials with a
    request that needs them, and nothing is saved when it does not (or cannot be
    reached); a user + password is exchanged for an access token when ``exchange`` is
    true and the server allows it, else kept as Basic credentials; the server is saved
    under ``server_id``, else the id of a saved server with the same URL, else an id
    derived from its host, and becomes the default; a damaged store (malformed file,
    wrong types) never blocks a login: once the server accepted the credentials, it is
    repaired first, keeping the servers it can still read and a copy of the damaged file.
    """

    def __init__(self, *, probe: ServerProbe, store: CredentialStore) -> None:
        self._probe = probe
        self._store = store

    def __call__(
        self, credentials: Credentials, *, server_id: str | None = None, exchange: bool = True
    ) -> LoginResult:
        from frogml.domain.model.server import normalize_server_url  # not at `--help` time

        credentials = replace(credentials, url=normalize_server_url(credentials.url))
        identity = self._probe.check(credentials)
        saved, exchanged = credentials, False
        if exchange and credentials.password is not None and credentials.user:
            token = self._probe.exchange_for_token(credentials)
            if token is not None:
                saved, exchanged = token, True
        damaged_copy = self._store.repair()
        server_id = server_id or self._known_id(saved.url) or server_id_for(saved.url)
        self._store.save(server_id, saved)
        return LoginResult(
            credentials=saved,
            identity=identity,
            server_id=server_id,
            location=self._store.location,
            exchanged=exchanged,
            damaged_copy=damaged_copy,
        )

    def _known_id(self, url: str) -> str | None:
        for entry in self._store.servers():
            if _same_server(entry.credentials.url, url):
                return entry.server_id
        return None


def _same_server(first: str, second: str) -> bool:
    from frogml.domain.model.server import same_server

    return same_server(first, second)
