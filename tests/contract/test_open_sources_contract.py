"""Every store opens an upload's sources as their transfers start and closes each when
it ends: the sources open at once follow the store's threads, never the number of
files (file descriptors stay bounded under an ordinary ``ulimit -n``)."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import BinaryIO

import pytest

from frogml.adapters.artifactory import ArtifactorySettings
from frogml.domain.errors import FrogMLError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.kind import Area
from frogml.domain.ports.artifact_store import UploadItem
from frogml.domain.ports.credentials import Credentials
from frogml.domain.ports.filesystem import SourceFile
from frogml.domain.ports.progress import NULL_EVENTS
from tests.contract.conftest import Harness

MODEL = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="many", version="1")
# The most files any store here moves at once: Artifactory's threads adapt up to this.
THREADS = ArtifactorySettings(credentials=Credentials(url="http://x")).most_threads
FILES = 2 * THREADS + 8


class _Tracker:
    """Counts the source streams open at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.opened = self.open_now = self.peak = 0

    @contextmanager
    def opening(self, source: SourceFile) -> Iterator[BinaryIO]:
        with source.open() as stream:
            with self._lock:
                self.opened += 1
                self.open_now += 1
                self.peak = max(self.peak, self.open_now)
            try:
                yield stream
            finally:
                with self._lock:
                    self.open_now -= 1


@dataclass(frozen=True)
class _TrackedSource:
    """A scanned source whose ``open`` is counted by its tracker."""

    inner: SourceFile
    tracker: _Tracker

    @property
    def rel_path(self) -> str:
        return self.inner.rel_path

    @property
    def size(self) -> int:
        return self.inner.size

    @property
    def sha256(self) -> str:
        return self.inner.sha256

    def open(self) -> AbstractContextManager[BinaryIO]:
        return self.tracker.opening(self.inner)


def _items(h: Harness, tracker: _Tracker, *, vanish: int | None = None) -> list[UploadItem]:
    draw = random.Random(15)
    for index in range(FILES):  # above 10 KiB: no inlining, distinct: no deduplication
        h.write(f"src/f{index:02d}.bin", draw.randbytes(20 * 1024))
    sources = sorted(h.filesystem.scan(h.path("src")), key=lambda s: s.rel_path)
    if vanish is not None:  # changed after the scan: its transfer fails
        h.write(f"src/f{vanish:02d}.bin", b"changed since it was hashed")
    return [UploadItem(Area.FILES, _TrackedSource(s, tracker)) for s in sources]


def test_an_upload_holds_sources_open_only_while_their_files_move(harness: Harness) -> None:
    h = harness
    tracker = _Tracker()
    items = _items(h, tracker)
    transaction = h.store.begin(MODEL)
    try:
        report = h.store.upload(transaction, items, NULL_EVENTS)
    finally:
        h.store.abort(transaction)

    assert report.files_sent == FILES
    assert tracker.opened >= FILES
    assert tracker.open_now == 0
    assert tracker.peak <= THREADS < FILES


def test_a_failed_upload_leaves_no_source_open(harness: Harness) -> None:
    h = harness
    tracker = _Tracker()
    items = _items(h, tracker, vanish=FILES // 2)
    transaction = h.store.begin(MODEL)
    try:
        with pytest.raises(FrogMLError):
            h.store.upload(transaction, items, NULL_EVENTS)
    finally:
        h.store.abort(transaction)

    assert tracker.open_now == 0
    assert tracker.peak <= THREADS
