"""What a transfer moved and what it reused are counted apart, over every store: a resumed
download does not count the bytes it already held, a deduplicated upload moves none."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from pathlib import Path

from frogml.adapters.filesystem._sink import partial_path
from frogml.adapters.memory import InMemoryFileSystem
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.ports.progress import ReuseEvents, TransferTally
from frogml.domain.services.download import Download, DownloadModelRequest, DownloadResult
from frogml.domain.services.upload import Upload, UploadModelRequest
from tests.contract._support import FORMAT, sha
from tests.contract.conftest import Harness

MODEL = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="counted")
BIG = random.Random(7).randbytes(100 * 1024)
SMALL = random.Random(8).randbytes(20 * 1024)  # above the 10 KiB of Artifactory's rule
HELD = 40 * 1024


@dataclass
class _Counts:
    """Progress that listens for reused bytes apart from moved ones."""

    moved: int = 0
    reused_bytes: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def started(self, *, files: int, total_bytes: int) -> None:
        pass

    def advanced(self, nbytes: int) -> None:
        with self._lock:
            self.moved += nbytes

    def reused(self, nbytes: int) -> None:
        with self._lock:
            self.reused_bytes += nbytes

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        pass

    def finished(self) -> None:
        pass


def _upload(h: Harness, version: str, events: _Counts | None = None) -> None:
    h.write("src/big.bin", BIG)
    h.write("src/small.bin", SMALL)
    request = UploadModelRequest(
        repository=MODEL.repository,
        name=MODEL.name,
        source_path=h.path("src"),
        model_format=FORMAT,
        version=version,
    )
    upload = Upload(store=h.store, filesystem=h.filesystem)
    upload(request) if events is None else upload(request, events)


def _download(h: Harness, events: _Counts) -> DownloadResult:
    request = DownloadModelRequest(
        repository=MODEL.repository, name=MODEL.name, version="1", target_path=h.path("out")
    )
    return Download(store=h.store, filesystem=h.filesystem)(request, events)


def _hold_a_prefix(h: Harness, rel: str, data: bytes) -> None:
    """Leave what an interrupted download of ``rel`` would have left."""
    final = h.path(f"out/{rel}")
    if isinstance(h.filesystem, InMemoryFileSystem):
        h.filesystem.partials[(final, sha(BIG))] = bytearray(data)
        return
    partial = partial_path(Path(final), sha(BIG))
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(data)


def test_a_resumed_download_counts_only_the_bytes_it_fetched(harness: Harness) -> None:
    _upload(harness, "1")
    _hold_a_prefix(harness, "big.bin", BIG[:HELD])
    events = _Counts()

    result = _download(harness, events)

    assert harness.listing("out") == {"big.bin": BIG, "small.bin": SMALL}
    assert result.bytes_downloaded == len(BIG) - HELD + len(SMALL)
    assert result.bytes_reused == HELD
    assert (events.moved, events.reused_bytes) == (result.bytes_downloaded, HELD)
    again = _download(harness, _Counts())
    assert (again.bytes_downloaded, again.bytes_reused) == (0, len(BIG) + len(SMALL))
    assert (again.files_downloaded, again.files_reused) == (0, 2)


def test_a_deduplicated_upload_moves_no_byte(harness: Harness) -> None:
    _upload(harness, "1")
    events = _Counts()

    _upload(harness, "2", events)

    assert (events.moved, events.reused_bytes) == (0, len(BIG) + len(SMALL))


def test_events_that_know_nothing_of_reuse_still_reach_their_total() -> None:
    plain: list[int] = []

    class Plain:
        def started(self, *, files: int, total_bytes: int) -> None: ...
        def advanced(self, nbytes: int) -> None:
            plain.append(nbytes)

        def file_done(self, rel_path: str, *, transferred: bool) -> None: ...
        def finished(self) -> None: ...

    tally = TransferTally(Plain())
    tally.advanced(5)
    tally.reused(7)

    assert not isinstance(Plain(), ReuseEvents)
    assert plain == [5, 7]
    assert (tally.bytes_moved, tally.bytes_reused) == (5, 7)
