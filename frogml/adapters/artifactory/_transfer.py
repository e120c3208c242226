"""What uploads and downloads share: parallel runs that stop at the first error, progress."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from frogml.domain.errors import InterruptedTransferError
from frogml.domain.ports.progress import TransferEvents, report_reused

__all__ = ["Cancelled", "Progress", "run_parallel"]

_T = TypeVar("_T")
_POLL = 0.2  # seconds between checks while waiting for the worker threads
_GRACE = 1.0  # seconds the threads get to stop after an interruption


class Cancelled(InterruptedTransferError):
    """Another file of the same transfer failed (or it was interrupted); this one stopped."""


class Progress:
    """Reports bytes of one file, counting each byte once across retries and restarts."""

    def __init__(self, events: TransferEvents, *, position: int = 0) -> None:
        self._events = events
        self._position = position
        self._reported = position
        if position:  # held from an earlier attempt: reused, not moved
            report_reused(events, position)

    def seek(self, position: int) -> None:
        """The next byte to move is ``position`` (0 after a restart)."""
        self._position = position
        self.advance(0)

    def advance(self, nbytes: int) -> None:
        self._position += nbytes
        if self._position > self._reported:
            self._events.advanced(self._position - self._reported)
            self._reported = self._position


def run_parallel(
    tasks: Sequence[Callable[[threading.Event], _T]], *, threads: int, name: str
) -> list[_T]:
    """Run every task on ``threads`` threads; on the first error, stop the others.

    Each task receives the stop event and should check it between blocks. Raises the
    first real error (not a :class:`Cancelled` one) after every thread has returned.
    Interrupted (Ctrl-C), it sets the stop event and returns at once: the threads are
    daemons, so one blocked on a stalled socket cannot keep the process alive.
    """
    run: _Run[_T] = _Run(tasks, name=name)
    run.start(min(threads, len(tasks)))
    try:
        run.wait()
    except BaseException:
        run.stop.set()
        run.join(_GRACE)  # lets a thread finish its current block; never hangs on a socket
        raise
    real = [e for e in run.errors if not isinstance(e, Cancelled)]
    if run.errors:
        raise (real or run.errors)[0]
    return [run.results[i] for i in range(len(tasks))]


class _Run(Generic[_T]):
    """Daemon worker threads taking tasks in order until done or stopped."""

    def __init__(self, tasks: Sequence[Callable[[threading.Event], _T]], *, name: str) -> None:
        self.stop = threading.Event()
        self.results: dict[int, _T] = {}
        self.errors: list[BaseException] = []
        self._tasks = tasks
        self._name = name
        self._next = iter(range(len(tasks)))
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def start(self, count: int) -> None:
        for number in range(count):
            thread = threading.Thread(target=self._work, name=f"{self._name}_{number}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                index = None if self.stop.is_set() else next(self._next, None)
            if index is None:
                return
            try:
                self.results[index] = self._tasks[index](self.stop)
            except BaseException as exc:
                with self._lock:
                    self.errors.append(exc)
                self.stop.set()

    def wait(self) -> None:
        for thread in self._threads:
            while thread.is_alive():
                thread.join(_POLL)  # a timed join stays interruptible on every platform

    def join(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
