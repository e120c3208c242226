"""Progress of a transfer: one live display on a terminal, plain lines with --verbose,
a plain line about every 10 s off a terminal (or in CI), nothing when quiet or with
--json. Speeds count only bytes that moved, never deduplicated, resumed or cached ones;
sizes and speeds are in IEC units (KiB, MiB/s)."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TYPE_CHECKING

import rich_click as click

from frogml.adapters.cli._format import human_size
from frogml.adapters.cli._periodic import PeriodicProgress, progress_interval
from frogml.adapters.cli._terminal import shown

if TYPE_CHECKING:
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    from frogml.domain.ports.progress import TransferEvents

__all__ = ["animated", "progress_for"]


def _speed_column() -> ProgressColumn:
    """rich's speed column in IEC units (its own TransferSpeedColumn prints MB/s)."""
    from rich.progress import ProgressColumn as Column
    from rich.text import Text as RichText

    class _IecSpeedColumn(Column):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            text = "?" if speed is None else f"{human_size(int(speed))}/s"
            return RichText(text, style="progress.data.speed")

    return _IecSpeedColumn()


class _RichProgress:
    """Files done/total, bytes, speed and ETA in one bar; safe across threads."""

    def __init__(self, description: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(binary_units=True),
            _speed_column(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[files]}"),
            console=Console(stderr=True),
            transient=True,
        )
        self._lock = threading.Lock()
        self._done = 0
        self._files = 0
        self._total = 0
        self._task = self._progress.add_task(description, total=0, files="")

    def started(self, *, files: int, total_bytes: int) -> None:
        self._files = files
        self._total = total_bytes
        self._progress.update(self._task, total=total_bytes, files=f"0/{files} files")
        self._progress.start()

    def advanced(self, nbytes: int) -> None:
        self._progress.advance(self._task, nbytes)

    def reused(self, nbytes: int) -> None:
        # the bar counts what has to move: reused bytes leave the total, not the speed
        with self._lock:
            self._total = max(0, self._total - nbytes)
            total = self._total
        self._progress.update(self._task, total=total)

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        with self._lock:
            self._done += 1
            done = self._done
        self._progress.update(self._task, files=f"{done}/{self._files} files")

    def finished(self) -> None:
        self._progress.stop()


class _PlainProgress:
    """One line per event on stderr (``--verbose``): readable in logs and CI."""

    def __init__(self, description: str) -> None:
        self._description = description
        self._lock = threading.Lock()
        self._files = self._done = self._total = self._bytes = self._reused = 0
        self._start = time.monotonic()

    def _say(self, line: str) -> None:
        with self._lock:
            click.echo(f"{self._description}: {line}", err=True)

    def started(self, *, files: int, total_bytes: int) -> None:
        self._files, self._total, self._start = files, total_bytes, time.monotonic()
        self._say(f"{files} file(s), {human_size(total_bytes)}")

    def advanced(self, nbytes: int) -> None:
        with self._lock:
            self._bytes += nbytes

    def reused(self, nbytes: int) -> None:
        with self._lock:
            self._reused += nbytes

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        with self._lock:
            self._done += 1
            done = self._done
        how = "transferred" if transferred else "already present"
        self._say(f"[{done}/{self._files}] {shown(rel_path)} ({how})")

    def finished(self) -> None:
        seconds = max(time.monotonic() - self._start, 1e-6)
        speed = human_size(int(self._bytes / seconds))
        reused = f", {human_size(self._reused)} reused" if self._reused else ""
        self._say(
            f"done {self._done}/{self._files} file(s), {human_size(self._bytes)} moved{reused}"
            f" in {seconds:.1f}s ({speed}/s)"
        )


def animated() -> bool:
    """True when a live display may be drawn: stderr is a terminal, not dumb, not CI."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


def progress_for(description: str, *, quiet: bool, verbose: bool = False) -> TransferEvents:
    """The display for one transfer, chosen by the output mode and the terminal: off a
    terminal, a plain line every ``FROGML_PROGRESS_INTERVAL`` seconds (default 10)."""
    from frogml.domain.ports.progress import NULL_EVENTS

    if quiet:
        return NULL_EVENTS
    if verbose:
        return _PlainProgress(description)
    if animated():
        return _RichProgress(description)
    interval = progress_interval(os.environ)
    return NULL_EVENTS if interval == 0 else PeriodicProgress(description, interval=interval)
