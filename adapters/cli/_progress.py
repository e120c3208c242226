"""One aggregate progress display per transfer, only on an interactive terminal."""

from __future__ import annotations

import os
import sys
import threading

from domain.ports.progress import NULL_EVENTS, TransferEvents

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
        self._description = description
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


def progress_for(description: str, *, quiet: bool) -> TransferEvents:
    """A live display on a terminal; nothing when quiet, in CI, or not on a terminal."""
    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return NULL_EVENTS
    if os.environ.get("TERM") == "dumb":
        return NULL_EVENTS
    return _RichProgress(description)
