"""In-memory fakes of the credential ports, for unit tests."""

from __future__ import annotations

from dataclasses import replace

from frogml.domain.errors import AuthenticationError, ConfigurationError, FrogMLError
from frogml.domain.ports.credentials import Credentials, ServerEntry


class FakeProbe:
    """Accepts the secrets it was told about (on any URL); raises ``failure`` when set."""

    def __init__(
        self,
        *,
        accepted: list[Credentials] | None = None,
        failure: FrogMLError | None = None,
        issues_tokens: bool = True,
    ) -> None:
        self.accepted = [(c.user, c.password, c.access_token) for c in accepted or []]
        self.failure = failure
        self.issues_tokens = issues_tokens
        self.checked: list[Credentials] = []

    def check(self, credentials: Credentials) -> str:
        self.checked.append(credentials)
        if self.failure is not None:
            raise self.failure
        key = (credentials.user, credentials.password, credentials.access_token)
        if key not in self.accepted:
            raise AuthenticationError(f"{credentials.url} rejected the credentials")
        return credentials.identity

    def exchange_for_token(self, credentials: Credentials) -> Credentials | None:
        if not self.issues_tokens or credentials.password is None:
            return None
        return replace(credentials, password=None, access_token=f"issued-for-{credentials.user}")


class FixedSource:
    """A CredentialSource that answers what it was given (an environment, say)."""

    def __init__(self, credentials: Credentials | None) -> None:
        self.credentials = credentials
        self.loads = 0

    def load(self) -> Credentials | None:
        self.loads += 1
        return self.credentials


class MemoryCredentialStore:
    """A CredentialStore kept in a list; ``damaged`` makes it fail to read, like a
    damaged file, until ``repair`` keeps ``entries`` (what could still be read)."""

    def __init__(self, location: str = "memory") -> None:
        self._location = location
        self.entries: list[ServerEntry] = []
        self.damaged = False

    @property
    def location(self) -> str:
        return self._location

    def repair(self) -> str | None:
        if not self.damaged:
            return None
        self.damaged = False
        return f"{self._location}.bak"

    def _check(self) -> None:
        if self.damaged:
            raise ConfigurationError(f"{self._location} is damaged", source=self._location)

    def servers(self) -> list[ServerEntry]:
        self._check()
        marked = next((i for i, e in enumerate(self.entries) if e.is_default), 0)
        return [replace(e, is_default=i == marked) for i, e in enumerate(self.entries)]

    def save(self, server_id: str, credentials: Credentials) -> None:
        self._check()
        kept = [replace(e, is_default=False) for e in self.entries if e.server_id != server_id]
        self.entries = [*kept, ServerEntry(server_id, credentials, is_default=True)]

    def remove(self, server_id: str | None = None) -> ServerEntry | None:
        servers = self.servers()
        gone = next(
            (e for e in servers if (e.server_id == server_id if server_id else e.is_default)),
            None,
        )
        if gone is not None:
            self.entries = [e for e in self.entries if e.server_id != gone.server_id]
        return gone
