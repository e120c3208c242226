"""The retry policy: backoff with full jitter, Retry-After, attempt and time budgets."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frogml.adapters.artifactory._errors import RetryableError
from frogml.adapters.artifactory._retry import Retrier, backoff_delay, parse_retry_after
from frogml.adapters.artifactory.settings import RetryPolicy
from frogml.domain.errors import IntegrityError, PermissionDeniedError

NOW = datetime(2026, 11, 27, 9, 15, 2, tzinfo=timezone.utc)


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


class failing:
    """An attempt that raises ``error()`` ``times`` times, then returns "ok"."""

    def __init__(self, times: int, error: Callable[[], Exception]) -> None:
        self.times = times
        self.error = error
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.times:
            raise self.error()
        return "ok"


def retrier(policy: RetryPolicy, fake: FakeTime, rng: float = 0.5) -> Retrier:
    return Retrier(policy, sleep=fake.sleep, clock=fake.clock, rng=lambda: rng)


def busy(retry_after: float | None = None) -> RetryableError:
    return RetryableError("busy", status=503, retry_after=retry_after)


# -- backoff -----------------------------------------------------------------------------
@given(
    attempt=st.integers(min_value=1, max_value=60),
    draw=st.floats(min_value=0.0, max_value=0.999999),
    base=st.floats(min_value=0.0, max_value=5.0),
    cap_extra=st.floats(min_value=0.0, max_value=100.0),
)
def test_backoff_stays_within_full_jitter_bounds(
    attempt: int, draw: float, base: float, cap_extra: float
) -> None:
    policy = RetryPolicy(backoff_base=base, backoff_cap=base + cap_extra)
    delay = backoff_delay(policy, attempt, lambda: draw)
    ceiling = min(policy.backoff_cap, base * 2 ** (attempt - 1))
    assert 0.0 <= delay <= ceiling + 1e-9
    assert delay == pytest.approx(draw * ceiling)


def test_a_huge_attempt_number_stays_at_the_cap() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_cap=30.0)
    assert backoff_delay(policy, 10_000, lambda: 1.0) == 30.0


def test_backoff_ceiling_doubles_then_stops_at_the_cap() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_cap=3.0)
    ceilings = [backoff_delay(policy, n, lambda: 1.0) for n in range(1, 7)]
    assert ceilings == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


# -- Retry-After --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("7", 7.0),
        (" 0 ", 0.0),
        (format_datetime(NOW + timedelta(seconds=30), usegmt=True), 30.0),
        (format_datetime(NOW - timedelta(seconds=30), usegmt=True), 0.0),
        ("Fri, 27 Nov 2026 09:16:02 GMT", 60.0),
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(
    header: str | None, expected: float | None
) -> None:
    assert parse_retry_after(header, NOW) == expected


# -- the loop -------------------------------------------------------------------------------
def test_a_busy_server_is_retried_until_it_answers() -> None:
    fake = FakeTime()
    attempt = failing(2, busy)
    policy = RetryPolicy(max_attempts=5, backoff_base=1.0, backoff_cap=10.0)
    assert retrier(policy, fake, rng=0.5).run(attempt, what="x") == "ok"
    assert fake.sleeps == [0.5, 1.0]  # half of 1 s, half of 2 s


def test_retry_after_replaces_the_backoff() -> None:
    fake = FakeTime()
    attempt = failing(2, lambda: busy(retry_after=7.0))
    assert retrier(RetryPolicy(), fake).run(attempt, what="x") == "ok"
    assert fake.sleeps == [7.0, 7.0]


def test_giving_up_after_max_attempts_raises_the_last_error() -> None:
    fake = FakeTime()
    attempt = failing(100, busy)
    with pytest.raises(RetryableError):
        retrier(RetryPolicy(max_attempts=3), fake).run(attempt, what="x")
    assert attempt.calls == 3
    assert len(fake.sleeps) == 2


def test_the_time_budget_bounds_the_total_wait() -> None:
    fake = FakeTime()
    attempt = failing(100, lambda: busy(retry_after=4.0))
    policy = RetryPolicy(max_attempts=50, time_budget=10.0)
    with pytest.raises(RetryableError):
        retrier(policy, fake).run(attempt, what="x")
    assert fake.sleeps == [4.0, 4.0]  # a third wait would end at 12 s > 10 s
    assert attempt.calls == 3


def test_a_retry_after_beyond_the_budget_gives_up_at_once() -> None:
    fake = FakeTime()
    attempt = failing(1, lambda: busy(retry_after=3600.0))
    with pytest.raises(RetryableError):
        retrier(RetryPolicy(time_budget=300.0), fake).run(attempt, what="x")
    assert fake.sleeps == []


def test_a_permanent_error_is_raised_without_waiting() -> None:
    fake = FakeTime()
    attempt = failing(1, lambda: PermissionDeniedError("no"))
    with pytest.raises(PermissionDeniedError):
        retrier(RetryPolicy(), fake).run(attempt, what="x")
    assert fake.sleeps == []
    assert attempt.calls == 1


def test_extra_error_types_can_be_retried() -> None:
    fake = FakeTime()
    attempt = failing(1, lambda: IntegrityError("bad bytes"))
    result = retrier(RetryPolicy(), fake).run(attempt, what="x", retry_on=(IntegrityError,))
    assert result == "ok"
    assert len(fake.sleeps) == 1


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (RetryableError("reset", request_sent=True), False),
        (RetryableError("gateway", status=502), False),
        (RetryableError("refused", request_sent=False), True),
        (RetryableError("busy", status=503), True),
        (RetryableError("slow down", status=429), True),
    ],
)
def test_a_non_idempotent_request_is_repeated_only_when_it_surely_did_nothing(
    error: RetryableError, retried: bool
) -> None:
    fake = FakeTime()
    attempt = failing(1, lambda: error)
    run = retrier(RetryPolicy(), fake).run
    if retried:
        assert run(attempt, what="x", idempotent=False) == "ok"
    else:
        with pytest.raises(RetryableError):
            run(attempt, what="x", idempotent=False)
    assert len(fake.sleeps) == (1 if retried else 0)


def test_a_cancelled_transfer_is_not_retried() -> None:
    fake = FakeTime()
    attempt = failing(1, busy)
    with pytest.raises(RetryableError):
        retrier(RetryPolicy(), fake).run(attempt, what="x", cancelled=lambda: True)
    assert fake.sleeps == []


def test_each_retry_is_logged_as_an_event(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeTime()
    with caplog.at_level(logging.INFO, logger="frogml"):
        retrier(RetryPolicy(), fake).run(failing(1, busy), what="uploading a.bin")
    messages = [r.getMessage() for r in caplog.records if r.name == "frogml"]
    assert len(messages) == 1
    assert messages[0].startswith("request_retried")
    assert "uploading a.bin" in messages[0]
    assert "status=503" in messages[0]
