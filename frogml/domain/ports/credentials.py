"""The credentials port: where the server address and secrets come from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

__all__ = [
    "CredentialSource",
    "CredentialStore",
    "Credentials",
    "ServerCatalog",
    "ServerEntry",
    "ServerProbe",
    "mask",
]


@dataclass(frozen=True)
class Credentials:
    """A server and how to authenticate to it. Secrets never appear in ``repr``."""

    url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    source: str = "explicit"

    def __post_init__(self) -> None:
        # A URL holding credentials is refused wherever it is used; keeping it only
        # masked means no message, log, repr, whoami or doctor line can show them.
        # (Imported here: `frogml --help` loads the port, not the domain's values.)
        from frogml.domain.model.server import redact_url

        object.__setattr__(self, "url", redact_url(self.url))

    @property
    def is_anonymous(self) -> bool:
        return self.access_token is None and self.password is None

    @property
    def identity(self) -> str:
        """Who the credentials claim to be, without any secret."""
        if self.user:
            return self.user
        return "token" if self.access_token else "anonymous"


class CredentialSource(Protocol):
    """One place credentials may come from (environment, a config file, ...)."""

    def load(self) -> Credentials | None:
        """The credentials held there, or None when this source configures nothing."""
        ...


def mask(secret: str | None) -> str:
    """A secret as it may be shown: ``abc…yz`` for long ones, ``****`` otherwise."""
    if not secret:
        return "-"
    if len(secret) < 16:
        return "****"
    return f"{secret[:3]}…{secret[-2:]}"


@dataclass(frozen=True)
class ServerEntry:
    """One server kept in a configuration file, under its id."""

    server_id: str
    credentials: Credentials
    is_default: bool = False


class ServerCatalog(Protocol):
    """A file listing servers (frogml's own, or JFrog CLI's)."""

    @property
    def location(self) -> str:
        """Where the servers are kept, for messages (a file path)."""
        ...

    def servers(self) -> list[ServerEntry]:
        """Every server listed, in file order; an absent file lists none."""
        ...


class CredentialStore(ServerCatalog, Protocol):
    """Where ``frogml login`` keeps servers; the default one is used."""

    def save(self, server_id: str, credentials: Credentials) -> None:
        """Add or replace the server ``server_id`` and make it the default."""
        ...

    def remove(self, server_id: str | None = None) -> ServerEntry | None:
        """Forget ``server_id`` (the default server when None); what was removed, if any."""
        ...

    def repair(self) -> str | None:
        """Make a damaged store usable again, keeping every server it can still read and
        a copy of the damaged one; where that copy is, or None when nothing was damaged."""
        ...


class ServerProbe(Protocol):
    """Asks a server whether credentials work."""

    def check(self, credentials: Credentials) -> str:
        """Who the server says the caller is, with a request that needs the credentials.

        Raises AuthenticationError (rejected), PermissionDeniedError (forbidden),
        TransientError (unreachable) or ProtocolError (not an Artifactory server).
        """
        ...

    def exchange_for_token(self, credentials: Credentials) -> Credentials | None:
        """The same user with an access token instead of a password; None when refused."""
        ...
