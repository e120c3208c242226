"""What uploads and downloads share: parallel runs that stop at the first error, progress."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import TypeVar

from domain.errors import FrogMLError
from domain.ports.progress import TransferEvents

__all__ = ["Cancelled", "Progress", "run_parallel"]

_T = TypeVar("_T")


class Cancelled(FrogMLError):
    """Another file of the same transfer failed; this one stopped."""


class Progress:
    """Reports bytes of one file, counting each byte once across retries and restarts."""

    def __init__(self, events: TransferEvents, *, position: int = 0) -> None:
        self._events = events
        self._position = position
        self._reported = 0
        self.seek(position)

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
    """
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name) as pool:
        futures = [pool.submit(task, stop) for task in tasks]
        try:
            wait(futures, return_when=FIRST_EXCEPTION)
        finally:
            if not all(f.done() and f.exception() is None for f in futures):
                stop.set()
                for future in futures:
                    future.cancel()
    errors = [error for f in futures if not f.cancelled() and (error := f.exception()) is not None]
    if errors:
        real = [e for e in errors if not isinstance(e, Cancelled)]
        raise (real or errors)[0]
    return [f.result() for f in futures]
