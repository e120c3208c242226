"""The system clock."""

from __future__ import annotations

from datetime import datetime, timezone

from frogml.domain.ports.clock import Clock

__all__ = ["SystemClock"]


class SystemClock(Clock):
    """The operating system's clock, always in UTC."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)
