"""How many requests go in flight: the tuner of parallel transfers and the number of
byte-range streams of a big download, as pure decisions on given measurements."""

from __future__ import annotations

import itertools
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frogml.adapters.artifactory._ranges import blocks, streams_for
from frogml.adapters.artifactory._transfer import Tuner, run_parallel

MIB = 1 << 20


def _feed(tuner: Tuner, seconds_at: dict[int, float], rounds: int = 40) -> list[int]:
    """Report warm tasks taking ``seconds_at[limit]`` each; the limits it went through."""
    now = 100.0
    seen = [tuner.limit]
    for _ in range(rounds):
        if tuner.settled:
            break
        took = seconds_at[tuner.limit]
        for _ in range(tuner.limit):
            now += 0.001
            limit = tuner.record(now, now + took, warm=True)
        now += took
        if limit != seen[-1]:
            seen.append(limit)
    return seen


def test_round_trip_bound_work_grows_to_the_cap_and_no_further() -> None:
    tuner = Tuner(first=2, most=48, clock=lambda: 0.0)
    # Every task waits a round trip whatever the number in flight: throughput scales.
    seen = _feed(tuner, dict.fromkeys((2, 8, 32, 48), 0.040))
    assert seen == [2, 8, 32, 48]  # fourfold while it scales linearly, then the cap
    assert tuner.settled


def test_cpu_bound_work_goes_back_to_where_it_was_fastest() -> None:
    tuner = Tuner(first=8, most=32, clock=lambda: 0.0)
    # Loopback on two cores: four times the threads, four times the time per task.
    seen = _feed(tuner, {8: 0.002, 32: 0.008})
    assert seen == [8, 32, 8]
    assert tuner.settled


def test_started_at_the_cap_round_trip_bound_work_comes_back_to_it() -> None:
    tuner = Tuner(first=32, most=32, clock=lambda: 0.0)
    # Half the threads, the same time per task: half the throughput. Back to 32.
    seen = _feed(tuner, dict.fromkeys((32, 16), 0.040))
    assert seen == [32, 16, 32]
    assert tuner.settled


def test_started_at_the_cap_cpu_bound_work_halves_while_it_loses_nothing() -> None:
    tuner = Tuner(first=32, most=32, clock=lambda: 0.0)
    # Loopback: the time per task follows the threads down to 8; below, it stays.
    seen = _feed(tuner, {32: 0.032, 16: 0.016, 8: 0.008, 4: 0.008})
    assert seen == [32, 16, 8, 4, 8]
    assert tuner.settled


def test_a_modest_gain_is_kept_but_not_pushed_further() -> None:
    tuner = Tuner(first=4, most=64, clock=lambda: 0.0)
    # 4 -> 16 threads: 1.18x the throughput (above _KEEP, below _GAIN).
    seen = _feed(tuner, {4: 0.010, 16: 0.034})
    assert seen == [4, 16]
    assert tuner.settled


def test_a_new_threads_first_task_and_tasks_begun_before_a_change_do_not_count() -> None:
    tuner = Tuner(first=4, most=8, clock=lambda: 0.0)
    for start in range(10):  # cold tasks (each paid for a new connection): ignored
        assert tuner.record(float(start), start + 5.0, warm=False) == 4
    for start in range(4):
        tuner.record(10.0 + start, 10.5 + start, warm=True)
    assert tuner.limit == 8  # four warm samples at 4 in flight: grow (to the most)
    tuner.record(0.0, 99.0, warm=True)  # began before the change: ignored
    assert tuner.limit == 8
    assert not tuner.settled


def test_run_parallel_never_runs_more_than_most_at_once() -> None:
    lock = threading.Lock()
    running = 0
    peak = 0
    names: set[str] = set()
    ticks = itertools.count()

    def clock() -> float:  # tasks "take" about the same time: the tuner keeps growing
        with lock:
            return float(next(ticks))

    def task(stop: threading.Event) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            names.add(threading.current_thread().name)
        stop.wait(0.001)  # a request in flight
        with lock:
            running -= 1
        return 1

    results = run_parallel([task] * 300, threads=2, most=6, name="t", clock=clock)
    assert results == [1] * 300
    assert 1 <= peak <= 6
    assert len(names) <= 6  # threads are kept, not replaced


def test_pinned_threads_never_grow() -> None:
    names: set[str] = set()
    lock = threading.Lock()

    def task(stop: threading.Event) -> None:
        with lock:
            names.add(threading.current_thread().name)

    run_parallel([task] * 200, threads=3, name="pinned", clock=itertools.count().__next__)
    assert len(names) <= 3


@pytest.mark.parametrize(
    ("remaining", "rate", "expected"),
    [
        (256 * MIB, 32e6, 8),  # a WAN connection (32 MB/s): up to the most allowed
        (256 * MIB, 100e6, 3),  # a faster one: enough to reach the target rate
        (256 * MIB, 600e6, 1),  # loopback: one stream is already as fast as the target
        (256 * MIB, 256e6, 1),  # exactly the target
        (6 * MIB, 32e6, 3),  # a small rest: no part under 2 MiB
        (3 * MIB, 1e6, 1),  # too little to split at all
    ],
)
def test_streams_follow_the_measured_throughput(remaining: int, rate: float, expected: int) -> None:
    assert streams_for(remaining, rate, most=8, target_rate=256e6, min_part=2 * MIB) == expected


def test_streams_never_exceed_the_cap() -> None:
    assert streams_for(1 << 40, 1.0, most=3, target_rate=256e6, min_part=MIB) == 3


def test_blocks_cover_the_rest_in_order_about_eight_per_stream() -> None:
    got = blocks(3 * MIB, 259 * MIB, 8, 2 * MIB)
    assert got[0][0] == 3 * MIB
    assert got[-1][1] == 259 * MIB
    assert all(a[1] == b[0] for a, b in itertools.pairwise(got))  # contiguous, in order
    sizes = [b - a for a, b in got]
    # a first round staggered from 2 to 5.5 MiB, so that the streams end it apart
    assert sizes[:8] == [(4 + k) * MIB // 2 for k in range(8)]
    # 4 MiB blocks, about 8 per stream (the 2 MiB the first round saved end them), then
    # one round of half blocks per stream
    assert sizes[8:] == [4 * MIB] * 52 + [2 * MIB] + [2 * MIB] * 8
    assert [b - a for a, b in blocks(0, 5 * MIB, 8, 2 * MIB)] == [2 * MIB, 3 * MIB]
    # A remainder of 7 bytes joins its block: no round trip for 7 bytes across a WAN.
    assert min(b - a for a, b in blocks(0, 24 * MIB + 7, 8, 2 * MIB)) >= 2 * MIB


@given(
    start=st.integers(0, 1 << 30),
    length=st.integers(1, 1 << 32),
    streams=st.integers(1, 16),
    min_part=st.integers(1, 1 << 24),
)
def test_blocks_cover_the_range_in_order_with_none_under_min_part(
    start: int, length: int, streams: int, min_part: int
) -> None:
    got = blocks(start, start + length, streams, min_part)
    assert got[0][0] == start
    assert got[-1][1] == start + length
    assert all(a[1] == b[0] for a, b in itertools.pairwise(got))
    assert len(got) == 1 or all(b - a >= min_part for a, b in got)
