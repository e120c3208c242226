"""Progress off a terminal: one plain line about every ``interval`` seconds.

A CI log shows that a long transfer is alive without the control sequences of a live
display, and a transfer shorter than the interval prints nothing. Lines go to stderr;
``--quiet`` (and ``--json``) turn them off, ``FROGML_PROGRESS_INTERVAL`` sets the
interval (``0``: never).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

import rich_click as click

from frogml.adapters.cli._format import human_size
from frogml.domain.errors import ConfigurationError

__all__ = ["DEFAULT_INTERVAL", "PeriodicProgress", "progress_interval"]

DEFAULT_INTERVAL = 10.0
_VARIABLE = "FROGML_PROGRESS_INTERVAL"


def progress_interval(env: Mapping[str, str]) -> float:
    """Seconds between progress lines off a terminal: ``FROGML_PROGRESS_INTERVAL``, else 10."""
    raw = env.get(_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_INTERVAL
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (0 <= value < float("inf")):
        raise ConfigurationError(
            f"{_VARIABLE} must be a number of seconds (0 turns the lines off), got {raw!r}",
            source=_VARIABLE,
        )
    return value


def _echo(line: str) -> None:
    click.echo(line, err=True)


class PeriodicProgress:
    """Counts files and bytes; says where the transfer stands when ``interval`` seconds
    have passed since the last line (checked as events arrive, from any thread)."""

    def __init__(
        self,
        description: str,
        *,
        interval: float = DEFAULT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        echo: Callable[[str], None] = _echo,
    ) -> None:
        self._description = description
        self._interval = interval
        self._clock = clock
        self._echo = echo
        self._lock = threading.Lock()
        self._files = self._done = self._total = self._moved = self._reused = 0
        self._start = self._last = clock()

    def started(self, *, files: int, total_bytes: int) -> None:
        with self._lock:
            self._files, self._total = files, total_bytes
            self._start = self._last = self._clock()

    def advanced(self, nbytes: int) -> None:
        with self._lock:
            self._moved += nbytes
        self._tick()

    def reused(self, nbytes: int) -> None:
        with self._lock:
            self._reused += nbytes
        self._tick()

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        with self._lock:
            self._done += 1
        self._tick()

    def finished(self) -> None:
        pass  # the command's summary follows

    def _tick(self) -> None:
        with self._lock:
            now = self._clock()
            if now - self._last < self._interval:
                return
            self._last = now
            line = self._line(now)
        self._echo(line)

    def _line(self, now: float) -> str:
        held = self._moved + self._reused
        share = f" ({100 * held // self._total}%)" if self._total else ""
        speed = human_size(int(self._moved / max(now - self._start, 1e-6)))
        reused = f", {human_size(self._reused)} reused" if self._reused else ""
        return (
            f"{self._description}: {self._done}/{self._files} file(s),"
            f" {human_size(held)} of {human_size(self._total)}{share}{reused}, {speed}/s"
        )
