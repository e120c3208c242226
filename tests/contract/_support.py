"""Helpers shared by the contract tests: requests, sources, and an event recorder."""

from __future__ import annotations

import hashlib
import io
import threading
from dataclasses import dataclass, field
from typing import BinaryIO

from frogml.domain.model.metadata import SerializationMetadata

FORMAT = SerializationMetadata(
    framework="pytorch",
    framework_version="2.5.1",
    serialization_format="pt",
    runtime="python",
    runtime_version="3.11",
)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class LyingSource:
    """A source whose bytes are not the ones its hash promises."""

    rel_path: str
    size: int
    sha256: str
    data: bytes

    def open(self) -> BinaryIO:
        return io.BytesIO(self.data)


@dataclass(frozen=True)
class UnreadableSource:
    """A source that vanished after it was scanned."""

    rel_path: str
    size: int
    sha256: str

    def open(self) -> BinaryIO:
        raise OSError(5, "Input/output error")


@dataclass
class RecordingEvents:
    """Keeps what a transfer reported."""

    started_with: list[tuple[int, int]] = field(default_factory=list)
    advanced_bytes: int = 0
    done: list[tuple[str, bool]] = field(default_factory=list)
    finished_calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def started(self, *, files: int, total_bytes: int) -> None:
        self.started_with.append((files, total_bytes))

    def advanced(self, nbytes: int) -> None:
        with self._lock:
            self.advanced_bytes += nbytes

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        with self._lock:
            self.done.append((rel_path, transferred))

    def finished(self) -> None:
        self.finished_calls += 1
