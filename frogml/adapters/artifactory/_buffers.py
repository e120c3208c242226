"""Keeping a download's read buffers out of fresh memory (glibc's dynamic mmap threshold).

A body is read a block (1 MiB) at a time; each read asks for a new ``bytes`` of the
block's size and, when the socket held less, shrinks it. glibc serves an allocation at
or above its mmap threshold (128 KiB at start) with a fresh ``mmap``, and raises the
threshold only when such a block is freed *at its full size* (mallopt(3), "dynamic mmap
threshold"). A download whose reads keep coming back short (the client faster than the
server, as on loopback) frees only shrunk blocks, so the threshold never rises: every
block is a new mapping whose pages fault in one by one. Measured (256 MiB from the
emulator on loopback, 10 runs): 4 in 10 downloads paid 11,000-77,000 page faults and
took up to 0.60 s instead of 0.30 s.

:func:`prime` frees one block twice a read's size once per process, which raises the
threshold above every read; from then on blocks are reused from the heap. That is
process-wide: in a host program, allocations up to that size (2 MiB) then come from the
heap too, as they would after any such block was freed. Where it cannot work it costs
one allocation and changes nothing: another C library, 32-bit glibc (whose threshold
stops at 512 KiB), or a threshold fixed by ``MALLOC_MMAP_THRESHOLD_``.
"""

from __future__ import annotations

__all__ = ["prime"]

_primed: set[int] = set()


def prime(block: int) -> None:
    """Make reads of up to ``block`` bytes reuse memory (once per process and size)."""
    if block in _primed:
        return
    _primed.add(block)
    spare = bytes(2 * block)  # calloc: a fresh mapping, zero already, never touched
    del spare  # freed at its full size: glibc's threshold rises above it
