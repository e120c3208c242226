"""run_parallel: every task or the first error, and an interruption that never hangs."""

from __future__ import annotations

import _thread
import threading
import time
from collections.abc import Sequence
from typing import overload

import pytest

from frogml.adapters.artifactory._transfer import Cancelled, run_each, run_parallel


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


class _Counted(Sequence[int]):
    """0..n-1, counting how many items were read (to see they are taken lazily)."""

    def __init__(self, n: int) -> None:
        self.n, self.read = n, 0

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...
    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, slice):
            raise AssertionError("sliced")
        if index >= self.n:
            raise IndexError(index)
        self.read += 1
        return index


def test_run_each_takes_items_as_threads_free_up_and_runs_each_once() -> None:
    items = _Counted(50)
    seen: list[int] = []
    read_when_run: list[int] = []

    def work(item: int, stop: threading.Event) -> None:
        read_when_run.append(items.read)
        seen.append(item)

    run_each(items, work, threads=1, name="t")
    assert seen == list(range(50))
    # One thread: an item is read when the thread takes it, never all up front.
    assert read_when_run == list(range(1, 51))


def test_run_each_raises_the_first_real_error_and_stops_the_rest() -> None:
    ran: list[int] = []

    def work(item: int, stop: threading.Event) -> None:
        if stop.is_set():
            raise Cancelled("stopped")
        ran.append(item)
        if item == 3:
            raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        run_each(range(100), work, threads=1, name="t")
    assert ran == [0, 1, 2, 3]
