"""The one place where HTTP answers and network failures become domain errors."""

from __future__ import annotations

from typing import TypeVar

import msgspec
import urllib3.exceptions as u3

from frogml.domain.errors import (
    AlreadyExistsError,
    AuthenticationError,
    NotArtifactoryError,
    NotFoundError,
    PermissionDeniedError,
    ProtocolError,
    TransientError,
    ValidationError,
)
from frogml.domain.model.visible import SHOWN_LENGTH, visible

__all__ = [
    "RETRYABLE_STATUSES",
    "RetryableError",
    "decode_answer",
    "is_html",
    "network_error",
    "not_artifactory",
    "raise_for_status",
    "server_message",
]

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_MAX_MESSAGE = SHOWN_LENGTH  # server text shown to a user, at most
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
    """Server text made safe to show: white space folded into one line, control and
    format characters (terminal escapes, bidi overrides) shown as visible escapes
    (``\x1b``, ``\u202e``), at most 200 characters: as the CLI shows any such text."""
    return visible(" ".join(text.split()), limit=_MAX_MESSAGE)


def is_html(body: bytes) -> bool:
    """True when ``body`` is an HTML page (a proxy's login page, a web server's)."""
    head = body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        head.startswith(b"<") and b"<html" in head
    )


def not_artifactory(what: str, why: str, *, status: int | None = None) -> NotArtifactoryError:
    """The one message for an answer no Artifactory gives."""
    shown = why if status is None else f"{why}, HTTP {status}"
    return NotArtifactoryError(
        f"{what}: the server does not look like an Artifactory server (it answered {shown})",
        answered=shown,
    )


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
        if is_html(body):  # a proxy's sign-in page: whatever was asked was not done
            raise not_artifactory(what, "an HTML page", status=status)
        return
    if is_html(body):
        if status in RETRYABLE_STATUSES or status >= 500:  # a proxy's error page: transient
            raise RetryableError(
                f"{what}: the server answered an HTML error page (HTTP {status})",
                status=status,
                retry_after=retry_after,
            )
        raise not_artifactory(what, "an HTML page", status=status)
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
            hint="check the server certificate; trust its CA with --ca-bundle, "
            "REQUESTS_CA_BUNDLE or SSL_CERT_FILE",
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
    """Decode a 2xx JSON answer. An HTML page, or JSON that is not Artifactory's shape,
    is a NotArtifactoryError; it names what was wrong in plain words."""
    if is_html(body):
        raise not_artifactory(what, "an HTML page")
    try:
        return decoder.decode(body)
    except msgspec.ValidationError as exc:
        raise not_artifactory(what, f"JSON of another shape: {_shorten(str(exc))}") from exc
    except msgspec.DecodeError as exc:
        raise not_artifactory(what, "something that is not JSON") from exc
