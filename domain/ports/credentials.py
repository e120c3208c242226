"""The credentials port: where the server address and secrets come from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["CredentialSource", "Credentials"]


@dataclass(frozen=True)
class Credentials:
    """A server and how to authenticate to it. Secrets never appear in ``repr``."""

    url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    source: str = "explicit"

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
