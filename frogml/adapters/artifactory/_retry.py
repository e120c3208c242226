"""Trying a request again: exponential backoff with full jitter, Retry-After, budgets."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TypeVar

from frogml.adapters.artifactory._errors import RetryableError
from frogml.adapters.artifactory.settings import RetryPolicy
from frogml.adapters.logs import get_logger

__all__ = ["Retrier", "backoff_delay", "parse_retry_after"]

_T = TypeVar("_T")
_log = get_logger("frogml")


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date), or None
    when there is none or it cannot be read."""
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():  # not "²" or "٣": str.isdigit takes those too
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - now).total_seconds())


def backoff_delay(policy: RetryPolicy, attempt: int, rng: Callable[[], float]) -> float:
    """Full jitter: uniform in ``[0, min(cap, base * 2**(attempt-1))]``."""
    ceiling = min(policy.backoff_cap, policy.backoff_base * math.pow(2, min(attempt - 1, 60)))
    return rng() * ceiling


class Retrier:
    """Runs an attempt until it succeeds, fails for good, or a budget runs out.

    ``sleep``, ``clock`` (monotonic seconds) and ``rng`` are injectable so tests need
    no real waiting.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.policy = policy
        self._sleep = sleep
        self._clock = clock
        self._rng = rng

    def run(
        self,
        attempt: Callable[[], _T],
        *,
        what: str,
        idempotent: bool = True,
        retry_on: tuple[type[Exception], ...] = (),
        cancelled: Callable[[], bool] = lambda: False,
    ) -> _T:
        """Call ``attempt`` until it returns; re-raise the last error when giving up.

        A :class:`RetryableError` is retried (for a non-idempotent request only when the
        request never reached the server, or the server said it was busy: 429, 503);
        so is any error in ``retry_on``.
        """
        start = self._clock()
        number = 0
        while True:
            number += 1
            try:
                return attempt()
            except Exception as exc:
                delay = self._delay_or_none(exc, number, idempotent, retry_on)
                if delay is None or cancelled():
                    raise
                if self._clock() - start + delay > self.policy.time_budget:
                    raise
                _log.info(
                    "request_retried",
                    what=what,
                    attempt=number,
                    delay_s=round(delay, 3),
                    status=getattr(exc, "status", None),
                    reason=type(exc).__name__,
                )
                self._sleep(delay)

    def _delay_or_none(
        self,
        exc: Exception,
        number: int,
        idempotent: bool,
        retry_on: tuple[type[Exception], ...],
    ) -> float | None:
        if number >= self.policy.max_attempts:
            return None
        if isinstance(exc, RetryableError):
            safe = idempotent or not exc.request_sent or exc.status in (429, 503)
            if not safe:
                return None
            if exc.retry_after is not None:
                return exc.retry_after
        elif not isinstance(exc, retry_on):
            return None
        return backoff_delay(self.policy, number, self._rng)
