"""The tuner does not try fewer threads when the tasks wait for the network: with the
CPU time of each task given, threads that keep less than a core busy stay as they are."""

from __future__ import annotations

from frogml.adapters.artifactory._transfer import Tuner


def _window(tuner: Tuner, *, took: float, cpu: float | None, start: float = 100.0) -> int:
    """A decision's worth of warm tasks taking ``took`` s each, ``cpu`` s of it on a CPU."""
    limit = tuner.limit
    for n in range(min(tuner.limit, 8)):
        limit = tuner.record(start + n * 0.001, start + n * 0.001 + took, warm=True, cpu=cpu)
    return limit


def test_round_trip_bound_tasks_keep_every_thread_without_a_probe() -> None:
    tuner = Tuner(first=32, most=32, clock=lambda: 0.0)
    # A WAN: 40 ms per task, 1 ms of it on a CPU; 32 threads keep 0.8 of a core busy.
    assert _window(tuner, took=0.040, cpu=0.001) == 32
    assert tuner.settled


def test_busy_tasks_still_halve_while_it_loses_nothing() -> None:
    tuner = Tuner(first=32, most=32, clock=lambda: 0.0)
    # Loopback: 32 threads keep the processor busy (32 x 2 ms of CPU in 32 ms).
    assert _window(tuner, took=0.032, cpu=0.002) == 16
    assert not tuner.settled
    # At 16 the tasks take half the time: the same throughput, still busy: halve again.
    assert _window(tuner, took=0.016, cpu=0.002, start=200.0) == 8


def test_without_cpu_times_the_tuner_probes_as_before() -> None:
    tuner = Tuner(first=32, most=32, clock=lambda: 0.0)
    assert _window(tuner, took=0.040, cpu=None) == 16


def test_a_halving_that_lost_throughput_is_undone_even_when_the_rest_wait() -> None:
    tuner = Tuner(first=32, most=32, clock=lambda: 0.0)
    assert _window(tuner, took=0.032, cpu=0.002) == 16  # busy at 32: try 16
    # At 16 the tasks take as long as at 32 (half the throughput), and now wait.
    assert _window(tuner, took=0.032, cpu=0.001, start=200.0) == 32
    assert tuner.settled
