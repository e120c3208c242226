"""The verdict of one check of ``frogml doctor``."""

from __future__ import annotations

from typing import Literal

from frogml.domain.model.base import Value

__all__ = ["HealthCheck", "Verdict"]

Verdict = Literal["ok", "warn", "fail"]


class HealthCheck(Value, frozen=True):
    """One check (``server``, ``tls``, ``credentials``, ``clock``, ...) and what it found."""

    name: str
    verdict: Verdict
    detail: str
