"""The process's open-file limit (``ulimit -n``), as the stores meet it.

A transfer holds a few files open per thread (a connection, a partial file, a folder
to fsync), never one per file of the version. A store checks before it starts that the
limit leaves room for its threads, and an open that fails anyway for lack of
descriptors says which limit it met instead of surfacing a bare ``OSError``.
"""

from __future__ import annotations

import errno
import os

from frogml.domain.errors import ConfigurationError

__all__ = [
    "RESERVE",
    "check_open_files",
    "limit",
    "limit_hint",
    "open_count",
    "threads_that_fit",
]

# Descriptors kept free for what runs beside a transfer: imports, the store's lock,
# log files, a hash cache being saved.
RESERVE = 8


def limit() -> int | None:
    """The soft limit on open files; None where there is none (or no way to know)."""
    try:
        import resource  # POSIX only
    except ImportError:
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return None if soft == resource.RLIM_INFINITY else soft


def open_count() -> int:
    """Descriptors this process holds now (0 where the system does not list them)."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            return max(0, len(os.listdir(folder)) - 1)  # minus listdir's own
        except OSError:
            continue
    return 0


def check_open_files(*, threads: int, per_thread: int, doing: str) -> None:
    """Raise a ConfigurationError naming the limit when ``threads`` threads, each holding
    ``per_thread`` files open, would not fit beside what the process already holds."""
    soft = limit()
    if soft is None:
        return
    needed = open_count() + threads * per_thread + RESERVE
    if needed <= soft:
        return
    raise ConfigurationError(
        f"the open-file limit of this process is {soft} (ulimit -n); {doing} with "
        f"{threads} thread(s) needs about {needed}",
        source="ulimit -n",
        hint=_advice(soft, threads),
    )


def threads_that_fit(*, first: int, most: int, per_thread: int, doing: str) -> int:
    """How many threads a transfer that starts with ``first`` and may grow to ``most``
    can run: ``most``, lowered to what the open-file limit leaves room for (never below
    ``first``). When not even ``first`` fit, the ConfigurationError of
    :func:`check_open_files`: a transfer adapting its threads grows within the limit
    instead of failing on a descriptor it cannot open."""
    check_open_files(threads=first, per_thread=per_thread, doing=doing)
    soft = limit()
    if soft is None or most <= first:
        return max(first, most)
    room = (soft - open_count() - RESERVE) // max(1, per_thread)
    return max(first, min(most, room))


def limit_hint(exc: OSError) -> str | None:
    """What to do when ``exc`` means the process ran out of descriptors; else None."""
    if exc.errno == errno.ENFILE:
        return "the system's table of open files is full; close other programs and retry"
    if exc.errno == errno.EMFILE:
        return _advice(limit(), None)
    return None


def _advice(soft: int | None, threads: int | None) -> str:
    named = "the open-file limit" if soft is None else f"the open-file limit ({soft})"
    fewer = " or use fewer threads (--threads, JFML_THREAD_COUNT)" if (threads or 0) > 1 else ""
    return f"{named} is too low: raise it (e.g. `ulimit -n 1024`){fewer}"
