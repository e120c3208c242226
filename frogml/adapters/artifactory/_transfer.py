"""What uploads and downloads share: parallel runs that stop at the first error, progress."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Generic, TypeVar, cast

from frogml.adapters.open_files import threads_that_fit
from frogml.domain.errors import InterruptedTransferError
from frogml.domain.ports.progress import TransferEvents, report_reused

__all__ = [
    "Cancelled",
    "Parallel",
    "Progress",
    "Tuner",
    "fit_threads",
    "run_each",
    "run_parallel",
]

_T = TypeVar("_T")
_I = TypeVar("_I")
_POLL = 0.2  # seconds between checks while waiting for the worker threads
_GRACE = 1.0  # seconds the threads get to stop after an interruption
# Adapting transfers may start with every request allowed in flight, but only this
# many must fit the open-file limit (more grow within it).
_MODEST = 8


def fit_threads(
    *, threads: int, most: int | None, count: int, per_thread: int, doing: str
) -> tuple[int, int | None]:
    """(threads to start with, most to adapt up to, or None when pinned), within the
    open-file limit: adapting threads grow only as far as it leaves room for, and when
    not even the first ones fit, a clear error names the limit."""
    cap = threads_that_fit(
        first=min(threads if most is None else _MODEST, threads, count),
        most=max(threads, most or threads),
        per_thread=per_thread,
        doing=doing,
    )
    return min(threads, cap), (None if most is None else cap)


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
    tasks: Sequence[Callable[[threading.Event], _T]],
    *,
    threads: int,
    name: str,
    most: int | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> list[_T]:
    """Run every task on ``threads`` threads; on the first error, stop the others.

    With ``most``, the number of threads adapts to the measured throughput (see
    :class:`Tuner`) between 2 and ``most``; without, it stays ``threads``.
    Each task receives the stop event and should check it between blocks. Raises the
    first real error (not a :class:`Cancelled` one) after every thread has returned.
    Interrupted (Ctrl-C), it sets the stop event and returns at once: the threads are
    daemons, so one blocked on a stalled socket cannot keep the process alive.
    """
    count = len(tasks)
    run: Parallel[_T] = _parallel(count, threads=threads, name=name, most=most, clock=clock)
    run.add(*tasks)
    run.finish()
    return [run.results[i] for i in range(count)]


def run_each(
    items: Sequence[_I],
    work: Callable[[_I, threading.Event], object],
    *,
    threads: int,
    name: str,
    most: int | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """``work(item, stop)`` for every item, as :func:`run_parallel` runs its tasks, but
    keeping nothing per item: a thread takes the next item only when it is free, and
    no result is kept (a version holds 100,000s of files: issue 15)."""
    run: Parallel[object] = _parallel(
        len(items), threads=threads, name=name, most=most, clock=clock
    )
    run.feed(items, work)
    run.finish()


def _parallel(
    count: int, *, threads: int, name: str, most: int | None, clock: Callable[[], float]
) -> Parallel[_T]:
    first = max(1, min(threads, count))
    tuner = None
    if most is not None:
        tuner = Tuner(first=first, most=min(max(most, first), max(count, 1)), clock=clock)
    return Parallel(name=name, limit=first, tuner=tuner)


class Tuner:
    """How many tasks to run at once, from measured throughput.

    Throughput with ``limit`` tasks running is ``limit`` divided by a task's median
    time (Little's law). A task's time only counts when it started after the last
    change and ran on a thread that had already finished a task (a new thread's first
    task pays for opening its connection). A decision follows ``_WINDOW`` such samples
    (fewer when fewer tasks run).

    Started below ``most``, the limit grows (fourfold at first and while it scales
    almost linearly, else twofold) while that raises the throughput by ``_GAIN``; a
    growth that gained less than ``_KEEP`` is undone. Started at ``most`` (frogml's
    default: the round trips of a WAN are hidden from the first request, with no
    handshake paid at each step of a climb), the limit halves while that keeps
    ``_HOLD`` of the best throughput, down to ``_FLOOR``; a halving that lost more is
    undone. Either way it then settles. Round-trip-bound work (a WAN: each task mostly
    waits) keeps its times as threads come and go, so it stays high; CPU-bound work
    (loopback on a few cores) sees its times shrink with fewer threads, so it goes down.

    Fewer threads can only help when they compete for the processor, so with the CPU
    time of each task (``record(cpu=...)``) a step down is not even tried when the tasks
    kept less than ``_BUSY`` of a core busy (``limit`` x median CPU time < ``_BUSY`` x
    median task time): they were waiting for round trips, and a halving that would be
    undone costs a round trip at half the requests in flight (on the WAN profile, about
    5 % of a download of 500 small files). ``thread_time`` counts each thread's own CPU
    time, and under the GIL Python code keeps about one core busy at most, so work bound
    by Python's CPU alone can sit near ``_BUSY`` too. Measured on the 500-file download:
    3.2 on the LAN profile (time in the kernel and in hashlib is outside the GIL), which
    still steps down, and 0.88 on the WAN profile, which no longer does.
    """

    _GAIN = 1.25  # growth that gains at least this much may grow again
    _KEEP = 1.1  # growth that gains less than this is undone
    _LINEAR = 0.9  # a gain of this share of the growth or more: grow fourfold next
    _HOLD = 0.9  # halving that keeps this share of the best throughput is kept
    _FLOOR = 2
    _WINDOW = 8  # samples per decision
    _BUSY = 1.0  # cores the tasks keep busy, below which fewer threads cannot gain

    def __init__(self, *, first: int, most: int, clock: Callable[[], float]) -> None:
        self.limit = first
        self.most = max(first, most)
        self.clock = clock
        self._down = self.limit >= self.most
        self.settled = self.limit <= self._FLOOR if self._down else False
        self._since = clock()
        self._samples: list[float] = []
        self._cpu: list[float] = []  # CPU seconds of the same tasks, when given
        self._before: tuple[int, float] | None = None  # (limit, throughput)

    def record(
        self, started: float, finished: float, *, warm: bool, cpu: float | None = None
    ) -> int:
        """One task's start and end (and the CPU seconds it used, when known); returns
        the limit to apply now."""
        if self.settled or not warm or started < self._since:
            return self.limit
        self._samples.append(max(finished - started, 1e-9))
        if cpu is not None:
            self._cpu.append(cpu)
        if len(self._samples) < min(self.limit, self._WINDOW):
            return self.limit
        took = sorted(self._samples)[len(self._samples) // 2]
        rate = self.limit / took
        busy = None
        if len(self._cpu) == len(self._samples):
            busy = self.limit * sorted(self._cpu)[len(self._cpu) // 2] / took
        self._samples, self._cpu = [], []
        self._since = finished
        if self._down:
            self._step_down(rate, busy)
        else:
            self._step_up(rate)
        return self.limit

    def _step_down(self, rate: float, busy: float | None = None) -> None:
        if self._before is not None and rate < self._before[1] * self._HOLD:
            self.limit = self._before[0]  # fewer threads lost throughput: back
            self.settled = True
            return
        if busy is not None and busy < self._BUSY:
            self.settled = True  # the threads wait for the network: fewer cannot do more
            return
        best = rate if self._before is None else max(rate, self._before[1])
        self._before = (self.limit, best)
        if self.limit <= self._FLOOR:
            self.settled = True
            return
        self.limit = max(self._FLOOR, self.limit // 2)

    def _step_up(self, rate: float) -> None:
        step = 4  # the first step is bold: each step costs new connections' handshakes
        if self._before is not None:
            step = 2
            limit, before = self._before
            if rate < before * self._GAIN:
                if rate < before * self._KEEP:
                    self.limit = limit
                self.settled = True
                return
            if rate >= before * self._LINEAR * self.limit / limit:
                step = 4
        if self.limit >= self.most:
            self.settled = True
            return
        self._before = (self.limit, rate)
        self.limit = min(self.most, self.limit * step)


class Parallel(Generic[_T]):
    """Daemon worker threads taking tasks in order until done or stopped.

    Tasks may be added while it runs (a ranged download adds its ranges once it has
    measured its first stream); :meth:`grow` raises the number of threads.
    """

    def __init__(self, *, name: str, limit: int, tuner: Tuner | None = None) -> None:
        self.stop = threading.Event()
        self.results: dict[int, _T] = {}  # of added tasks only (fed ones keep none)
        self.errors: list[BaseException] = []
        self._tasks: deque[Callable[[threading.Event], _T]] = deque()  # added, not taken
        self._fed: Iterator[Callable[[threading.Event], object]] | None = None
        self._fed_left = 0  # fed tasks not taken yet
        self._next = 0  # index of the next added task
        self._limit = max(1, limit)
        self._tuner = tuner
        self._name = name
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._running = 0

    def add(self, *tasks: Callable[[threading.Event], _T]) -> None:
        """Queue tasks (each runs as soon as a thread is free; its result is kept)."""
        with self._lock:
            self._tasks.extend(tasks)
            self._start_threads()

    def feed(self, items: Sequence[_I], work: Callable[[_I, threading.Event], object]) -> None:
        """Run ``work(item, stop)`` for each item, after the added tasks, keeping no
        result: the task of an item is made when a thread takes it (once per run)."""
        with self._lock:
            if self._fed is not None:
                raise RuntimeError("a run is fed once")
            self._fed = _tasks_of(items, work)
            self._fed_left = len(items)
            self._start_threads()

    def grow(self, limit: int) -> None:
        """Let up to ``limit`` tasks run at once."""
        with self._lock:
            self._limit = max(self._limit, limit)
            self._start_threads()

    def shrink(self, limit: int) -> None:
        """Let at most ``limit`` tasks run at once: the threads above it end with the
        task they are running (none is interrupted)."""
        with self._lock:
            self._limit = max(1, limit)

    def finish(self) -> None:
        """Wait for every task; raise the first real error (see :func:`run_parallel`)."""
        try:
            self._wait()
        except BaseException:
            self.stop.set()
            self._join(_GRACE)  # lets a thread finish its current block; never hangs
            raise
        real = [e for e in self.errors if not isinstance(e, Cancelled)]
        if self.errors:
            raise (real or self.errors)[0]

    def _start_threads(self) -> None:  # under the lock
        waiting = len(self._tasks) + self._fed_left
        for _ in range(min(self._limit - self._running, waiting)):
            number = len(self._threads)
            thread = threading.Thread(target=self._work, name=f"{self._name}_{number}", daemon=True)
            self._threads.append(thread)
            self._running += 1
            thread.start()

    def _take(
        self, done: tuple[float, float, float] | None, warm: bool
    ) -> tuple[int | None, Callable[[threading.Event], object]] | None:
        """The next task and the index its result is kept at (None: kept nowhere)."""
        with self._lock:
            if done is not None and self._tuner is not None:
                started, finished, cpu = done
                self._limit = self._tuner.record(started, finished, warm=warm, cpu=cpu)
                self._start_threads()
            stop = self.stop.is_set() or self._running > self._limit
            if not stop and self._tasks:
                self._next += 1
                return self._next - 1, self._tasks.popleft()
            if not stop and self._fed is not None and self._fed_left:
                self._fed_left -= 1
                return None, next(self._fed)
            self._running -= 1
            return None

    def _work(self) -> None:
        clock = time.monotonic if self._tuner is None else self._tuner.clock
        done: tuple[float, float, float] | None = None
        warm = False
        while (taken := self._take(done, warm)) is not None:
            index, task = taken
            warm = done is not None  # the thread's connection is open after one task
            started, spent = clock(), time.thread_time()
            try:
                result = task(self.stop)
                if index is not None:
                    self.results[index] = cast(_T, result)  # an added task's
            except BaseException as exc:
                with self._lock:
                    self.errors.append(exc)
                self.stop.set()
            done = (started, clock(), time.thread_time() - spent)

    def _wait(self) -> None:
        while True:
            with self._lock:
                alive = [t for t in self._threads if t.is_alive()]
                if not alive and not self._running:
                    return
            for thread in alive:
                while thread.is_alive():
                    thread.join(_POLL)  # a timed join stays interruptible on every platform

    def _join(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))


def _tasks_of(
    items: Iterable[_I], work: Callable[[_I, threading.Event], object]
) -> Iterator[Callable[[threading.Event], object]]:
    for item in items:
        yield partial(work, item)
