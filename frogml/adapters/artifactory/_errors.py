"""The one place where HTTP answers and network failures become domain errors."""

from __future__ import annotations

from typing import TypeVar

import msgspec
import urllib3.exceptions as u3

from frogml.domain.errors import (
    AlreadyExistsError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    TransientError,
    ValidationError,
)

__all__ = [
    "RETRYABLE_STATUSES",
    "RetryableError",
    "decode_answer",
    "network_error",
    "raise_for_status",
    "server_message",
]

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_MAX_MESSAGE = 300
_T = TypeVar("_T")


class RetryableError(TransientError):
    """A failure that may pass when tried again (busy server, broken connection)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        request_sent: bool = True,
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after
        # False when the request surely never reached the server (safe to send again).
        self.request_sent = request_sent


class _ErrorItem(msgspec.Struct):
    message: str = ""
    status: int | None = None


class _ErrorBody(msgspec.Struct):
    errors: list[_ErrorItem]


_error_decoder = msgspec.json.Decoder(_ErrorBody)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE] + "…"


def server_message(body: bytes) -> str:
    """The ``message``s of Artifactory's error body, or the body as text, shortened."""
    try:
        parsed = _error_decoder.decode(body)
        text = "; ".join(item.message for item in parsed.errors if item.message)
    except msgspec.DecodeError:
        text = body[: _MAX_MESSAGE * 4].decode("utf-8", "replace")
    return _shorten(text) or "no message"


def raise_for_status(
    status: int,
    body: bytes,
    *,
    what: str,
    retry_after: float | None = None,
) -> None:
    """Return for a 2xx answer; raise the matching domain error for any other.

    ``what`` names the action ("uploading weights/model.pt"); the server's message
    and the status follow it.
    """
    if 200 <= status < 300:
        return
    message = f"{what}: {server_message(body)} (HTTP {status})"
    if status == 401:
        raise AuthenticationError(message)
    if status == 403:
        raise PermissionDeniedError(message)
    if status == 404:
        raise NotFoundError(message, what=what)
    if status == 409:
        raise AlreadyExistsError(message, what=what)
    if status == 400:
        raise ValidationError(message)
    if status in RETRYABLE_STATUSES:
        raise RetryableError(message, status=status, retry_after=retry_after)
    if status >= 500:
        raise TransientError(message, status=status)
    raise ProtocolError(f"{what}: unexpected answer HTTP {status}: {server_message(body)}")


def network_error(exc: u3.HTTPError, *, what: str) -> TransientError:
    """The domain error for a failed connection, a timeout or a broken answer."""
    name = type(exc).__name__
    if isinstance(exc, u3.SSLError):
        # Retrying a certificate problem cannot help.
        return TransientError(
            f"{what}: TLS failed ({_shorten(str(exc))})",
            hint="check the server certificate, or set REQUESTS_CA_BUNDLE to your CA bundle",
        )
    if isinstance(exc, u3.ProxyError):
        # Its text may echo the proxy URL, which can hold credentials.
        return RetryableError(f"{what}: cannot reach the proxy ({name})", request_sent=False)
    if isinstance(exc, (u3.NewConnectionError, u3.ConnectTimeoutError)):
        return RetryableError(f"{what}: {_connect_reason(exc)}", request_sent=False)
    if isinstance(exc, u3.ReadTimeoutError):
        return RetryableError(f"{what}: the server did not answer in time")
    return RetryableError(f"{what}: the connection failed ({name}: {_shorten(str(exc))})")


def _connect_reason(exc: u3.HTTPError) -> str:
    """``cannot connect to HOST:PORT (connection refused)``, without urllib3's internals."""
    conn = getattr(exc, "conn", None)
    host, port = getattr(conn, "host", None), getattr(conn, "port", None)
    where = f" {host}:{port}" if host else ""
    if not isinstance(exc, u3.NewConnectionError):  # a subclass of ConnectTimeoutError
        return f"cannot connect to{where} (timed out)"
    text = str(exc)
    cause = text.rsplit("] ", 1)[-1] if "] " in text else _shorten(text)
    return f"cannot connect to{where} ({cause.strip().lower()})"


def decode_answer(decoder: msgspec.json.Decoder[_T], body: bytes, *, what: str) -> _T:
    """Decode a 2xx JSON answer; malformed JSON or missing fields are a ProtocolError."""
    try:
        return decoder.decode(body)
    except msgspec.DecodeError as exc:
        raise ProtocolError(f"{what}: the server sent a malformed answer ({exc})") from exc
