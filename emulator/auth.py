"""Who is calling, and may they do it: tokens, users, read-only users, anonymous.

Permissions are global (not per repository): enough to exercise a client's handling
of 401 and 403 without modelling Artifactory's permission targets.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
from collections.abc import Iterable, Mapping
from typing import Literal

import msgspec

from .errors import ApiError

__all__ = ["ANONYMOUS", "Anonymous", "Auth", "Principal"]

Anonymous = Literal["off", "read", "write"]
_CHALLENGE = {"WWW-Authenticate": 'Basic realm="Artifactory Realm"'}


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    authenticated: bool
    can_write: bool


ANONYMOUS = Principal(name="anonymous", authenticated=False, can_write=False)


class _Grant(msgspec.Struct, frozen=True, kw_only=True):
    user: str | None  # None: a token that is valid with any user name in Basic auth
    can_write: bool


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers=_CHALLENGE)


class Auth:
    def __init__(
        self,
        *,
        tokens: Iterable[str] = (),
        users: Mapping[str, str] | None = None,
        read_only_users: Mapping[str, str] | None = None,
        anonymous: Anonymous = "off",
    ) -> None:
        self._lock = threading.Lock()
        self._tokens = {t: _Grant(user=None, can_write=True) for t in tokens}
        self._users = dict(users or {})
        self._readers = dict(read_only_users or {})
        self.anonymous: Anonymous = anonymous

    def add_token(self, token: str, *, user: str | None = None, can_write: bool = True) -> None:
        with self._lock:
            self._tokens[token] = _Grant(user=user, can_write=can_write)

    def issue_token(self, principal: Principal) -> str:
        token = "emu-" + secrets.token_urlsafe(32)
        self.add_token(token, user=principal.name, can_write=principal.can_write)
        return token

    def authenticate(self, header: str | None) -> Principal:
        """The caller named by an Authorization header; bad credentials are always 401."""
        if not header:
            return ANONYMOUS
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() == "bearer":
            return self._by_token(value.strip(), None)
        if scheme.lower() == "basic":
            return self._by_basic(value.strip())
        raise _unauthorized("Unsupported authorization scheme")

    def _by_token(self, token: str, user: str | None) -> Principal:
        with self._lock:
            grant = self._tokens.get(token)
        if grant is None or (user is not None and grant.user not in (None, user)):
            raise _unauthorized("Bad credentials")
        name = user or grant.user or "token"
        can_write = grant.can_write and name not in self._readers
        return Principal(name=name, authenticated=True, can_write=can_write)

    def _by_basic(self, value: str) -> Principal:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise _unauthorized("Bad credentials") from None
        user, sep, secret = decoded.partition(":")
        if not sep:
            raise _unauthorized("Bad credentials")
        if self._users.get(user) == secret:
            return Principal(name=user, authenticated=True, can_write=True)
        if self._readers.get(user) == secret:
            return Principal(name=user, authenticated=True, can_write=False)
        return self._by_token(secret, user)

    # -- permission checks ------------------------------------------------------------
    def require_read(self, who: Principal) -> None:
        if not who.authenticated and self.anonymous == "off":
            raise _unauthorized("Authentication is required")

    def require_user(self, who: Principal) -> None:
        """Some APIs (file lists, tokens) refuse the anonymous user whatever its rights."""
        if not who.authenticated:
            raise _unauthorized("Authentication is required")

    def require_write(self, who: Principal, action: str) -> None:
        if who.can_write or (not who.authenticated and self.anonymous == "write"):
            return
        if not who.authenticated:
            raise _unauthorized("Authentication is required")
        raise ApiError(403, f"Not enough permissions to {action}")
