"""Writing downloaded chunks at their offsets, whole or in small slices as measured.

A buffered write of 1 MiB is normally copied into the page cache in about 0.2 ms. On
some virtual machines it takes 2-3 ms: kernel 6.x gives a big write page-cache folios
as big as the write, taken from large blocks of free memory, and where the host took
such blocks back (virtio-balloon free page reporting, on in this project's Firecracker
VM) their pages fault on first touch; small folios mostly come from memory in use.
Measured there (`benchmarks/RESULTS.md`, LAN (5)): 256 MiB downloads spent 0.44-0.71 s
in ``pwrite`` as 1 MiB writes when the machine was in that state, 0.10-0.24 s as
16 KiB slices. Slices cost about 0.4 ms of system calls per MiB where whole writes are
fast, so they are taken only while whole writes are measured slow, and a whole write
is tried again every so often.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

__all__ = ["WriteShape", "write_at"]

SLICE = 16 * 1024
MEASURED = 256 * 1024  # whole writes at least this big are timed
SLOW_NS_PER_BYTE = 1.0  # 1 ms per MiB, five times the page cache's usual
SLOW_IN_A_ROW = 4  # one slow write is noise (a scheduling pause)
RETRY_WHOLE_EVERY = 128  # sliced writes between two timed whole ones


class WriteShape:
    """Whether big chunks go to the kernel whole or in ``SLICE``-byte slices.

    A write is timed by the writing thread's CPU time (``clock``): the kernel's work in
    it counts, as the slow page faults do, and waiting to take the GIL back does not
    (wall time made writes of a process with one busy thread look slow, and slices then
    paid that wait 64 times per MiB).

    State is a hint shared by the threads of a process: a lost update between two
    writers costs at most one write's choice, never a byte (every byte is written
    either way).
    """

    def __init__(self, clock: Callable[[], int] = time.thread_time_ns) -> None:
        self._clock = clock
        self.sliced = False
        self._slow = 0  # slow whole writes in a row
        self._since_whole = 0  # sliced writes since the last whole one

    def write_at(self, fd: int, data: bytes, offset: int, lock: threading.Lock) -> None:
        """Write all of ``data`` at ``offset`` (``pwrite``, or seek-and-write under ``lock``)."""
        view = memoryview(data)
        size = len(view)
        if size < MEASURED:
            _write_all(fd, view, offset, lock)
        elif self.sliced and self._since_whole < RETRY_WHOLE_EVERY:
            self._since_whole += 1
            for start in range(0, size, SLICE):
                _write_all(fd, view[start : start + SLICE], offset + start, lock)
        else:
            began = self._clock()
            _write_all(fd, view, offset, lock)
            self._measured(self._clock() - began, size)

    def _measured(self, elapsed_ns: int, size: int) -> None:
        if elapsed_ns > SLOW_NS_PER_BYTE * size:
            self._slow += 1
            if self._slow >= SLOW_IN_A_ROW or self.sliced:
                self.sliced, self._since_whole = True, 0
        else:
            self._slow, self.sliced = 0, False


def _write_all(fd: int, view: memoryview, offset: int, lock: threading.Lock) -> None:
    while view:
        if hasattr(os, "pwrite"):
            done = os.pwrite(fd, view, offset)
        else:
            with lock:
                os.lseek(fd, offset, os.SEEK_SET)
                done = os.write(fd, view)
        view, offset = view[done:], offset + done


_SHAPE = WriteShape()


def write_at(fd: int, data: bytes, offset: int, lock: threading.Lock) -> None:
    """Write all of ``data`` at ``offset``, shaped as this process measured best."""
    _SHAPE.write_at(fd, data, offset, lock)
