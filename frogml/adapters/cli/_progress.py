"""Progress of a transfer: one live display on a terminal, plain lines with --verbose,
nothing when quiet, in CI, with --json, or when stderr is not a terminal."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TYPE_CHECKING

import rich_click as click

from frogml.adapters.cli._format import human_size

if TYPE_CHECKING:
    from frogml.domain.ports.progress import TransferEvents

__all__ = ["progress_for"]


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
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(binary_units=True),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[files]}"),
            console=Console(stderr=True),
            transient=True,
        )
        self._lock = threading.Lock()
        self._done = 0
        self._files = 0
        self._task = self._progress.add_task(description, total=0, files="")

    def started(self, *, files: int, total_bytes: int) -> None:
        self._files = files
        self._progress.update(self._task, total=total_bytes, files=f"0/{files} files")
        self._progress.start()

    def advanced(self, nbytes: int) -> None:
        self._progress.advance(self._task, nbytes)

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
        self._files = self._done = self._total = self._bytes = 0
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

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        with self._lock:
            self._done += 1
            done = self._done
        how = "transferred" if transferred else "already present"
        self._say(f"[{done}/{self._files}] {rel_path} ({how})")

    def finished(self) -> None:
        seconds = max(time.monotonic() - self._start, 1e-6)
        speed = human_size(int(self._bytes / seconds))
        self._say(
            f"done {self._done}/{self._files} file(s), {human_size(self._bytes)}"
            f" in {seconds:.1f}s ({speed}/s)"
        )


def animated() -> bool:
    """True when a live display may be drawn: stderr is a terminal, not dumb, not CI."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


def progress_for(description: str, *, quiet: bool, verbose: bool = False) -> TransferEvents:
    """The display for one transfer, chosen by the output mode and the terminal."""
    from frogml.domain.ports.progress import NULL_EVENTS

    if quiet:
        return NULL_EVENTS
    if verbose:
        return _PlainProgress(description)
    return _RichProgress(description) if animated() else NULL_EVENTS
