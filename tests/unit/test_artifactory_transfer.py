"""run_parallel: every task or the first error, and an interruption that never hangs."""

from __future__ import annotations

import _thread
import threading
import time

import pytest

from frogml.adapters.artifactory._transfer import Cancelled, run_parallel


def test_results_come_back_in_task_order() -> None:
    tasks = [lambda stop, n=n: n * n for n in range(7)]
    assert run_parallel(tasks, threads=3, name="t") == [n * n for n in range(7)]


def test_the_first_real_error_is_raised_and_the_others_are_told_to_stop() -> None:
    saw_stop = threading.Event()

    def failing(stop: threading.Event) -> int:
        raise ValueError("boom")

    def waiting(stop: threading.Event) -> int:
        if stop.wait(30):
            saw_stop.set()
            raise Cancelled("stopped")
        return 0

    with pytest.raises(ValueError, match="boom"):
        run_parallel([waiting, failing], threads=2, name="t")
    assert saw_stop.is_set()


def test_an_interruption_returns_at_once_though_a_task_is_blocked() -> None:
    blocked = threading.Event()
    release = threading.Event()

    def stuck(stop: threading.Event) -> None:
        blocked.set()
        release.wait(60)  # like a read on a stalled socket: deaf to the stop event

    def interrupt() -> None:
        blocked.wait(30)
        _thread.interrupt_main()  # what Ctrl-C does to the main thread

    threading.Thread(target=interrupt, daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_parallel([stuck], threads=1, name="frogml-stuck")
        assert time.monotonic() - started < 10
        workers = [t for t in threading.enumerate() if t.name.startswith("frogml-stuck")]
        assert workers
        assert all(t.daemon for t in workers)  # they cannot keep the process alive
    finally:
        release.set()
