"""``frogml login``'s ServerProbe, over the Artifactory adapter.

A ping proves nothing (it never checks credentials). ``GET /api/system/version``
does: bad credentials are refused with 401 even where anonymous access is on,
anonymous callers are refused where it is off, and only Artifactory answers it with
its version JSON. One attempt, no retries: a login either works now or says why.
A TLS failure is reported as the HTTP layer words it (which CA bundle, what to do),
not as an unreachable server.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import replace

import msgspec

from frogml.adapters.artifactory._tls import TlsHandshakeError
from frogml.adapters.artifactory.settings import ArtifactorySettings, RetryPolicy
from frogml.adapters.artifactory.store import ArtifactoryStore
from frogml.domain.errors import (
    AuthenticationError,
    FrogMLError,
    NotArtifactoryError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    TransientError,
    ValidationError,
)
from frogml.domain.model.settings import TransferSettings
from frogml.domain.ports.credentials import Credentials, ServerProbe

__all__ = ["ArtifactoryProbe"]

_NOT_ARTIFACTORY = "give the Artifactory URL, for example https://acme.jfrog.io/artifactory"


class ArtifactoryProbe(ServerProbe):
    """Checks credentials with the environment's TLS, proxy and timeout settings, and
    what ``settings`` (the CLI's options) say over them."""

    def __init__(
        self,
        *,
        env: Mapping[str, str],
        settings: TransferSettings | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._env = env
        self._settings = settings
        self._timeout = timeout

    def check(self, credentials: Credentials) -> str:
        store, url = self._store(credentials), credentials.url
        try:
            store.server_version()
        except AuthenticationError as exc:
            raise _rejected(credentials) from exc
        except PermissionDeniedError as exc:
            who = credentials.identity
            raise PermissionDeniedError(f"{url} refused {who} access ({exc.message})") from exc
        except (NotFoundError, ProtocolError, ValidationError) as exc:
            answered = exc.answered if isinstance(exc, NotArtifactoryError) else exc.message
            raise NotArtifactoryError(
                f"{url} does not look like an Artifactory server (it answered {answered})",
                answered=answered,
                hint=_NOT_ARTIFACTORY,
            ) from exc
        except TransientError as exc:
            if exc.status is not None or isinstance(exc, TlsHandshakeError):
                raise  # the server answered, or TLS failed: the error says what to do
            raise TransientError(
                f"cannot reach {url}: {exc.message}", hint="check the URL and your network"
            ) from exc
        finally:
            store.close()
        return _identity(credentials)

    def exchange_for_token(self, credentials: Credentials) -> Credentials | None:
        if not credentials.user or credentials.password is None:
            return None
        store = self._store(credentials)
        try:
            token = store.create_access_token(description="frogml login")
        except FrogMLError:
            return None  # tokens disabled or not allowed here: keep the Basic credentials
        finally:
            store.close()
        return Credentials(
            url=credentials.url,
            user=credentials.user,
            access_token=token.access_token,
            source=credentials.source,
        )

    def _store(self, credentials: Credentials) -> ArtifactoryStore:
        settings = ArtifactorySettings.from_environment(credentials, self._env, self._settings)
        settings = replace(
            settings,
            retry=RetryPolicy(max_attempts=1),
            connect_timeout=min(settings.connect_timeout, self._timeout),
            read_timeout=min(settings.read_timeout, self._timeout),
        )
        return ArtifactoryStore(settings)


def _rejected(credentials: Credentials) -> AuthenticationError:
    if credentials.is_anonymous:
        return AuthenticationError(
            f"{credentials.url} does not allow anonymous access",
            hint="log in with --token or --username",
        )
    if credentials.access_token:
        return AuthenticationError(
            f"{credentials.url} rejected the access token", hint="check the token; has it expired?"
        )
    return AuthenticationError(
        f"{credentials.url} rejected the password of {credentials.user}",
        hint="check the user name and password",
    )


def _identity(credentials: Credentials) -> str:
    """The user name: given, else the JWT's subject (``…/users/<name>``), else ``token``."""
    if credentials.user or not credentials.access_token:
        return credentials.identity
    parts = credentials.access_token.split(".")
    if len(parts) != 3:
        return "token"
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        subject = msgspec.json.decode(payload, type=dict[str, object]).get("sub")
    except (binascii.Error, ValueError, msgspec.DecodeError):
        return "token"
    if not isinstance(subject, str) or not subject:
        return "token"
    return subject.rpartition("/users/")[2] or "token"
