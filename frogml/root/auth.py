"""AuthConfig: how a FrogMLStorage reaches its server."""

from __future__ import annotations

from frogml.domain.errors import ValidationError
from frogml.domain.model.server import redact_url
from frogml.domain.ports.credentials import Credentials

__all__ = ["AuthConfig"]


class AuthConfig:
    """A server URL and optional credentials; secrets never appear in ``repr``.

    ``AuthConfig("https://acme.jfrog.io")`` is anonymous access;
    ``AuthConfig("file:///srv/models")`` selects an embedded store in that folder.
    JFrog's keyword ``artifactory_url=`` is accepted for ``url``.
    """

    __slots__ = ("_access_token", "_password", "url", "user")

    def __init__(
        self,
        url: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        access_token: str | None = None,
        artifactory_url: str | None = None,
    ) -> None:
        if url is not None and artifactory_url is not None:
            raise ValidationError("give url or artifactory_url, not both", field="url")
        url = url if url is not None else artifactory_url
        if not isinstance(url, str) or not url.strip():
            raise ValidationError("AuthConfig needs a server URL", field="url")
        if access_token is not None and (user is not None or password is not None):
            raise ValidationError(
                "give either an access token or a user and password, not both", field="auth"
            )
        if (user is None) != (password is None):
            raise ValidationError("basic auth needs both a user and a password", field="auth")
        self.url = url.strip()
        self.user = user
        self._password = password
        self._access_token = access_token

    @property
    def artifactory_url(self) -> str:
        """The server URL (JFrog's client's attribute name)."""
        return self.url

    @classmethod
    def by_access_token(cls, url: str, access_token: str) -> AuthConfig:
        """Authenticate with ``Authorization: Bearer <access_token>``."""
        if not access_token:
            raise ValidationError("the access token is empty", field="access_token")
        return cls(url, access_token=access_token)

    @classmethod
    def by_basic_auth(cls, url: str, user: str, password: str) -> AuthConfig:
        """Authenticate with HTTP Basic (user + password, or user + token as password)."""
        if not user or not password:
            raise ValidationError("basic auth needs a non-empty user and password", field="auth")
        return cls(url, user=user, password=password)

    @classmethod
    def anonymous(cls, url: str) -> AuthConfig:
        """Access the server without credentials."""
        return cls(url)

    def to_credentials(self, *, source: str = "explicit") -> Credentials:
        """The domain value for these settings."""
        return Credentials(
            url=self.url,
            user=self.user,
            password=self._password,
            access_token=self._access_token,
            source=source,
        )

    def __repr__(self) -> str:
        if self._access_token is not None:
            how = "access_token=****"
        elif self.user is not None:
            how = f"user={self.user!r}, password=****"
        else:
            how = "anonymous"
        return f"AuthConfig({redact_url(self.url)!r}, {how})"
