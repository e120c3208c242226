"""Starting a growing file's disk write early, so that its final fsync waits for little.

A downloaded file (or a blob of the embedded store) is fsynced before it gets its
final name: durable before visible. Left to the kernel, its dirty pages wait in memory
until that fsync, which then writes all of them while nothing else moves: 0.12 s of a
0.39 s loopback download of 256 MiB here. Asking the kernel to start writing every
``STEP`` bytes as the file grows overlaps the disk with the transfer (Linux
``sync_file_range(SYNC_FILE_RANGE_WRITE)``: it starts the writeback and usually does not
wait for it, only when the disk's queue is full, as the kernel's own throttling of
dirty pages would; RocksDB's ``bytes_per_sync`` does the same). Measured (2 cores, emulator on
loopback, 256 MiB, 8 interleaved runs): median 0.383 s without, 0.300 s with 16 MiB
steps, 0.345 s with 64 MiB steps.

It is only a hint: where the call is missing (not Linux) or fails (a filesystem that
refuses it), nothing happens, and the fsync alone still makes the file durable.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

__all__ = ["STEP", "Writeback", "start_writeback"]

STEP = 16 << 20
_SYNC_FILE_RANGE_WRITE = 2

_Start = Callable[[int, int, int], int]


@functools.cache  # once, on first use: importing ctypes costs startup time
def _load() -> _Start | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        call = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (ImportError, OSError, AttributeError):  # no ctypes, or no such symbol
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    call.restype = ctypes.c_int

    def start(fd: int, offset: int, length: int) -> int:
        return int(call(fd, offset, length, _SYNC_FILE_RANGE_WRITE))

    return start


def start_writeback(fd: int, offset: int, length: int) -> bool:
    """Ask the kernel to start writing ``[offset, offset + length)`` of ``fd`` to disk,
    without waiting; False where that cannot be asked (not Linux, or refused)."""
    start = _load()
    return start is not None and start(fd, offset, length) == 0


class Writeback:
    """Starts the disk write of ``[0, n)`` of an open file, ``step`` bytes at a time, as
    :meth:`grew` reports ``n`` growing. Safe to call from several threads: a race may
    ask for a range twice or skip one, and either is harmless for a hint."""

    def __init__(
        self,
        fd: int,
        *,
        start: int = 0,
        step: int = STEP,
        starter: Callable[[int, int, int], bool] = start_writeback,
    ) -> None:
        self._fd = fd
        self._step = step
        self._starter = starter
        self._started = start  # [0, started) has been asked for

    def grew(self, size: int) -> None:
        """The file's bytes ``[0, size)`` are written (to the page cache)."""
        begun = self._started
        if size - begun < self._step:
            return
        self._started = size
        self._starter(self._fd, begun, size - begun)  # refused or not: only a hint
