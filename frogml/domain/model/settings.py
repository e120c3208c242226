"""How adapters reach a server, as the user chose it (CLI options or code)."""

from __future__ import annotations

import math

from frogml.domain.errors import ConfigurationError
from frogml.domain.model.base import Value

__all__ = ["MAX_THREADS", "TransferSettings"]

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
    threads: int | None = None
    # An answer that has begun is stalled when fewer than stall_bytes arrive in
    # stall_seconds (None: JFML_STALL_BYTES / JFML_STALL_SECONDS, else the defaults).
    stall_bytes: int | None = None
    stall_seconds: float | None = None

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
        if self.threads is not None and not (
            isinstance(self.threads, int) and 1 <= self.threads <= MAX_THREADS
        ):
            raise ConfigurationError(
                f"threads must be between 1 and {MAX_THREADS}, got {self.threads!r}"
            )


def _positive(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )
