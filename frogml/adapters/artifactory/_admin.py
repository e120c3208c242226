"""Server-level calls: ping, version, access check, tokens, repositories."""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec

from frogml.adapters.artifactory._errors import decode_answer, is_html, not_artifactory
from frogml.adapters.artifactory._http import HttpClient
from frogml.adapters.artifactory._wire import token_decoder, version_decoder
from frogml.domain.model.names import check_name

__all__ = [
    "AccessToken",
    "check_access",
    "create_access_token",
    "create_repository",
    "delete_repository",
    "ping",
    "server_version",
]

_JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class AccessToken:
    """A token the Access service issued; the secret never shows in ``repr``."""

    access_token: str = field(repr=False)
    token_id: str | None = None
    expires_in: int | None = None
    scope: str | None = None


def ping(http: HttpClient) -> str | None:
    """Raise unless the server answers its ping (which checks no credentials); return the
    answer's ``Date`` header (the server's clock), if any."""
    answer = http.request("GET", f"{http.urls.base}/api/system/ping", what="pinging the server")
    if not answer.body.strip().upper().startswith(b"OK"):
        why = "an HTML page" if is_html(answer.body) else "something else than OK"
        raise not_artifactory("pinging the server", why)
    return answer.headers.get("Date")


def server_version(http: HttpClient) -> str:
    """The Artifactory version, e.g. ``7.104.0``."""
    what = "reading the server version"
    answer = http.request("GET", f"{http.urls.base}/api/system/version", what=what)
    return decode_answer(version_decoder, answer.body, what=what).version


def check_access(http: HttpClient, repository: str | None = None) -> None:
    """Raise AuthenticationError, PermissionDeniedError or NotFoundError unless the
    credentials are accepted (and ``repository`` is readable)."""
    if repository is None:
        what = "checking the credentials"
        http.request("GET", f"{http.urls.base}/api/system/version", what=what)
        return
    check_name(repository, field="repository")
    what = f"checking access to repository {repository}"
    http.request("GET", f"{http.urls.base}/api/storage/{repository}", what=what)


def create_access_token(
    http: HttpClient,
    *,
    description: str = "frogml",
    expires_in: int | None = None,
    scope: str = "applied-permissions/user",
) -> AccessToken:
    """Ask the Access service for a token for the current (Basic-authenticated) user."""
    request: dict[str, object] = {"scope": scope, "description": description}
    if expires_in is not None:
        request["expires_in"] = expires_in
    what = "creating an access token"
    answer = http.request(
        "POST",
        f"{http.urls.access}/api/v1/tokens",
        what=what,
        headers=_JSON,
        body=msgspec.json.encode(request),
        idempotent=False,
    )
    token = decode_answer(token_decoder, answer.body, what=what)
    return AccessToken(
        access_token=token.access_token,
        token_id=token.token_id,
        expires_in=token.expires_in,
        scope=token.scope,
    )


def create_repository(http: HttpClient, key: str) -> None:
    """Create a local machine-learning repository (integration tests use this)."""
    check_name(key, field="repository")
    body = msgspec.json.encode({"rclass": "local", "packageType": "machinelearning"})
    http.request(
        "PUT",
        f"{http.urls.base}/api/repositories/{key}",
        what=f"creating repository {key}",
        headers=_JSON,
        body=body,
    )


def delete_repository(http: HttpClient, key: str) -> None:
    """Delete a repository and everything in it."""
    check_name(key, field="repository")
    http.request(
        "DELETE", f"{http.urls.base}/api/repositories/{key}", what=f"deleting repository {key}"
    )
