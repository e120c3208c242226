"""Artifactory-shaped errors and the small encoding helpers every handler shares."""

from __future__ import annotations

import time
from collections.abc import Mapping

import msgspec

__all__ = [
    "ApiError",
    "ConnectionAbort",
    "error_body",
    "iso_time",
    "now_ms",
    "pretty_json",
]

_encoder = msgspec.json.Encoder()


class ApiError(Exception):
    """An unsuccessful answer; rendered as Artifactory's `{"errors": [...]}` body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        plain: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})
        # The repositories API answers in plain text, not JSON.
        self.plain = plain


class ConnectionAbort(Exception):
    """Drop the connection without (finishing) an answer; `reset` sends a TCP RST."""

    def __init__(self, *, reset: bool) -> None:
        super().__init__("connection aborted")
        self.reset = reset


def pretty_json(value: object) -> bytes:
    """Artifactory pretty-prints its JSON; clients must not care, so neither do we."""
    return msgspec.json.format(_encoder.encode(value), indent=2)


def error_body(status: int, message: str) -> bytes:
    return pretty_json({"errors": [{"status": status, "message": message}]})


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def iso_time(epoch_ms: int) -> str:
    """Artifactory's timestamp format: `2023-10-20T15:25:58.265Z`."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch_ms // 1000))
    return f"{stamp}.{epoch_ms % 1000:03d}Z"
