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
    timeout: float | None = None
    threads: int | None = None

    def __post_init__(self) -> None:
        if self.timeout is not None and not (
            isinstance(self.timeout, (int, float))
            and math.isfinite(self.timeout)
            and self.timeout > 0
        ):
            raise ConfigurationError(f"timeout must be a positive number, got {self.timeout!r}")
        if self.threads is not None and not (
            isinstance(self.threads, int) and 1 <= self.threads <= MAX_THREADS
        ):
            raise ConfigurationError(
                f"threads must be between 1 and {MAX_THREADS}, got {self.threads!r}"
            )
