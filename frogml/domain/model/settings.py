"""How adapters reach a server, as the user chose it (CLI options or code)."""

from __future__ import annotations

import math

from frogml.domain.errors import ConfigurationError
from frogml.domain.model.base import Value

__all__ = ["MAX_THREADS", "TransferSettings", "redact_proxy_url"]

MAX_THREADS = 64


class TransferSettings(Value, frozen=True):
    """Network settings; ``None`` (or False) leaves a setting to the environment.

    The composition root hands this value to the adapters, which apply it over what the
    environment says (``JFML_TIMEOUT``, ``HTTPS_PROXY``, ...). Later settings are added
    here, with defaults that change nothing.
    """

    proxy: str | None = None
    ca_bundle: str | None = None
    insecure: bool = False
    # Seconds to wait for a connection and for an answer to begin (JFML_TIMEOUT).
    timeout: float | None = None
    # Parallel file transfers: a number pins them (JFML_THREAD_COUNT); None lets the
    # adapter adapt, from 8 up to max_in_flight, while throughput rises.
    threads: int | None = None
    # The most requests in flight at once, files and byte ranges together
    # (JFML_MAX_IN_FLIGHT; None: 32, or threads when more).
    max_in_flight: int | None = None
    # An answer that has begun is stalled when fewer than stall_bytes arrive in
    # stall_seconds (None: JFML_STALL_BYTES / JFML_STALL_SECONDS, else the defaults).
    stall_bytes: int | None = None
    stall_seconds: float | None = None
    # Multipart upload where the server takes it: files from multipart_threshold bytes
    # (None: 200 MiB) go as parts of multipart_part_size bytes (a whole number of MiB;
    # None: 20 MiB), multipart_parts at a time (None: 6), to a server whose probe took at
    # least multipart_min_round_trip seconds (None: 0.01; a nearer one gets one PUT).
    multipart_threshold: int | None = None
    multipart_part_size: int | None = None
    multipart_parts: int | None = None
    multipart_min_round_trip: float | None = None

    def __post_init__(self) -> None:
        for name in ("timeout", "stall_seconds"):
            value = getattr(self, name)
            if value is not None and not _positive(value):
                raise ConfigurationError(f"{name} must be a positive number, got {value!r}")
        if self.stall_bytes is not None and not (
            isinstance(self.stall_bytes, int)
            and not isinstance(self.stall_bytes, bool)
            and self.stall_bytes >= 1
        ):
            raise ConfigurationError(
                f"stall_bytes must be a whole number of at least 1, got {self.stall_bytes!r}"
            )
        for name in ("multipart_threshold", "multipart_part_size", "multipart_parts"):
            count = getattr(self, name)
            if count is not None and not (
                isinstance(count, int) and not isinstance(count, bool) and count >= 1
            ):
                raise ConfigurationError(f"{name} must be a whole number of at least 1")
        trip = self.multipart_min_round_trip
        if trip is not None and not (_positive(trip) or (_number(trip) and trip == 0)):
            raise ConfigurationError(
                f"multipart_min_round_trip must be a number of seconds, got {trip!r}"
            )
        for name in ("threads", "max_in_flight"):
            count = getattr(self, name)
            if count is not None and not (
                isinstance(count, int) and not isinstance(count, bool) and 1 <= count <= MAX_THREADS
            ):
                raise ConfigurationError(
                    f"{name} must be between 1 and {MAX_THREADS}, got {count!r}"
                )
        if (
            self.threads is not None
            and self.max_in_flight is not None
            and self.threads > self.max_in_flight
        ):
            raise ConfigurationError(
                f"threads ({self.threads}) cannot exceed max_in_flight ({self.max_in_flight})"
            )

    def __rich_repr__(self) -> list[tuple[str, object]]:
        """The fields, with the proxy's credentials (if any) masked."""
        fields = [(name, getattr(self, name)) for name in self.__struct_fields__]
        return [
            (name, redact_proxy_url(value) if name == "proxy" and isinstance(value, str) else value)
            for name, value in fields
        ]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__rich_repr__())
        return f"{type(self).__name__}({shown})"


def redact_proxy_url(url: str) -> str:
    """``url``, a proxy's (maybe malformed, maybe with no scheme), as it may be shown:
    all before its last ``@`` is taken for credentials and masked (``user:****@`` or
    ``****@``).

    Stricter than :func:`~frogml.domain.model.server.redact_url`, which masks only
    credentials that end before the first ``/``, ``?`` or ``#``: a proxy URL has no use
    for an ``@`` after its host, while a password may hold any of those characters.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    userinfo, at, host = rest.rpartition("@")
    if not at:
        return url
    user, colon, _ = userinfo.partition(":")
    shown = f"{user}:****" if colon else "****"
    return f"{scheme}{sep}{shown}@{host}"


def _positive(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
