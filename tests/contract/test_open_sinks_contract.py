"""Every store opens a download's sinks as their transfers start and closes each when it
ends: the sinks open at once follow the store's threads, never the number of files
(file descriptors stay bounded under an ordinary ``ulimit -n``)."""

from __future__ import annotations

import random
import threading

import pytest

from frogml.adapters.artifactory import ArtifactorySettings
from frogml.domain.errors import IntegrityError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.ports.artifact_store import DownloadItem
from frogml.domain.ports.credentials import Credentials
from frogml.domain.ports.filesystem import FileSink, FileSystem
from frogml.domain.ports.progress import NULL_EVENTS
from frogml.domain.services.upload import Upload, UploadModelRequest
from tests.contract._support import FORMAT, sha
from tests.contract.conftest import Harness

MODEL = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="many", version="1")
# The most files any store here moves at once: Artifactory's threads adapt up to this.
THREADS = ArtifactorySettings(credentials=Credentials(url="http://x")).most_threads
FILES = 2 * THREADS + 8


class _Tracked(FileSink):
    """A sink that tells its tracker when it is closed."""

    def __init__(self, inner: FileSink, tracker: _Tracker) -> None:
        self._inner, self._tracker = inner, tracker

    @property
    def rel_path(self) -> str:
        return self._inner.rel_path

    @property
    def offset(self) -> int:
        return self._inner.offset

    def write(self, data: bytes) -> None:
        self._inner.write(data)

    def restart(self) -> None:
        self._inner.restart()

    def commit(self) -> None:
        self._inner.commit()

    def close(self) -> None:
        self._inner.close()
        self._tracker.closed()


class _Tracker:
    """Opens sinks in ``target`` and counts how many are open at once."""

    def __init__(self, filesystem: FileSystem, target: str) -> None:
        self._filesystem, self._target = filesystem, target
        self._lock = threading.Lock()
        self.opened = self.open_now = self.peak = 0

    def open(self, item: DownloadItem) -> FileSink:
        artifact = item.artifact
        sink = self._filesystem.open_sink(
            self._target, item.rel_path, size=artifact.size, sha256=artifact.sha256
        )
        with self._lock:
            self.opened += 1
            self.open_now += 1
            self.peak = max(self.peak, self.open_now)
        return _Tracked(sink, self)

    def closed(self) -> None:
        with self._lock:
            self.open_now -= 1


def _publish(h: Harness) -> list[bytes]:
    draw = random.Random(15)
    contents = [draw.randbytes(20 * 1024) for _ in range(FILES)]  # above 10 KiB: no inlining
    for index, data in enumerate(contents):
        h.write(f"src/f{index:02d}.bin", data)
    request = UploadModelRequest(
        repository=MODEL.repository,
        name=MODEL.name,
        version=MODEL.version,
        source_path=h.path("src"),
        model_format=FORMAT,
    )
    Upload(store=h.store, filesystem=h.filesystem)(request)
    return contents


def _items(h: Harness, tracker: _Tracker) -> list[DownloadItem]:
    manifest = h.store.read_manifest(MODEL)
    return [
        DownloadItem(area, artifact, area.local_path(artifact.artifact_path), tracker.open)
        for area, artifact in manifest.entries()
    ]


def test_a_download_holds_sinks_open_only_while_their_files_move(harness: Harness) -> None:
    h = harness
    _publish(h)
    h.filesystem.prepare_target(h.path("out"))
    tracker = _Tracker(h.filesystem, h.path("out"))

    h.store.download(MODEL, _items(h, tracker), NULL_EVENTS)

    assert tracker.opened == FILES
    assert tracker.open_now == 0
    assert tracker.peak <= THREADS < FILES
    assert len(h.listing("out")) == FILES


def test_a_failed_download_leaves_no_sink_open(harness: Harness) -> None:
    h = harness
    contents = _publish(h)
    h.corrupt_blob(sha(contents[FILES // 2]))
    h.filesystem.prepare_target(h.path("out"))
    tracker = _Tracker(h.filesystem, h.path("out"))

    with pytest.raises(IntegrityError):
        h.store.download(MODEL, _items(h, tracker), NULL_EVENTS)

    assert tracker.open_now == 0
    assert tracker.peak <= THREADS
