"""A clock that tests set and advance by hand."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from frogml.domain.errors import ValidationError

__all__ = ["FixedClock", "ManualClock"]

_EPOCH = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


class ManualClock:
    """Tells the time it was set to; moves only when told to."""

    def __init__(self, start: datetime = _EPOCH) -> None:
        self._now = _utc(start)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = _utc(moment)

    def advance(self, delta: timedelta | float = 1.0) -> datetime:
        """Move forward by ``delta`` (seconds when a number); return the new time."""
        step = delta if isinstance(delta, timedelta) else timedelta(seconds=delta)
        self._now += step
        return self._now


# A clock that is never advanced is a fixed clock; one class keeps both names honest.
FixedClock = ManualClock


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValidationError("give a timezone-aware datetime", field="start")
    return moment.astimezone(timezone.utc)
