"""``frogml gc`` beside an upload in another process loses no blob of that upload.

The upload (a spawned process) stops at the worst moment: it has found that the store
holds one of its contents (a blob no version uses any more, so the clean-up wants it
gone) and has not yet recorded it. The clean-up starts then, in this process; it must
wait (it logs ``garbage_collection_delayed``), and once the upload has recorded its
files it must keep them. No sleeps: the two sides hand a pipe back and forth, and this
side knows the clean-up waits from its log event.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from frogml import FrogMLStorage
from frogml.adapters.clock import SystemClock
from frogml.adapters.filesystem import LocalFileSystem
from frogml.adapters.local_store import LocalStore
from frogml.domain.ports.garbage import GarbageReport
from frogml.domain.services.upload import Upload, UploadModelRequest
from tests.contract._support import FORMAT, sha

SHARED = b"weights of a deleted version, uploaded again" * 1000
OWN = b"new bytes" * 1000
_WAIT = 60.0  # seconds: a bound for a broken test, never reached when it passes


class _PausingEvents:
    """Progress that stops the upload when it first reuses a stored blob, until told."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._paused = False

    def started(self, *, files: int, total_bytes: int) -> None:
        pass

    def advanced(self, nbytes: int) -> None:
        pass

    def reused(self, nbytes: int) -> None:
        if not self._paused:  # the blob is judged present, and not yet recorded
            self._paused = True
            self._conn.send("paused")
            assert self._conn.poll(_WAIT), "the test never let the upload go on"
            assert self._conn.recv() == "go"

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        pass

    def finished(self) -> None:
        pass


def _upload_in_a_child(root: str, source: str, conn: Connection) -> None:
    store = LocalStore(Path(root), clock=SystemClock())
    request = UploadModelRequest(
        repository="ml-local", name="m", source_path=source, model_format=FORMAT, version="new"
    )
    try:
        Upload(store=store, filesystem=LocalFileSystem())(request, _PausingEvents(conn))
        conn.send("committed")
    except Exception as exc:  # reported, so that the test fails with the reason
        conn.send(f"failed: {exc!r}")


class _Delayed(logging.Handler):
    """Sets ``seen`` when the clean-up says it waits for an upload."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "garbage_collection_delayed" in record.getMessage():
            self.seen.set()


def test_gc_beside_an_upload_in_another_process_keeps_every_blob_of_it(tmp_path: Path) -> None:
    root = tmp_path / "store"
    for name, data in (
        ("old/shared.bin", SHARED),
        ("new/shared.bin", SHARED),
        ("new/own.bin", OWN),
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    with FrogMLStorage(env={"FROGML_STORE_DIR": str(root), "HOME": str(tmp_path)}) as storage:
        storage.upload_model_version("ml-local", "m", tmp_path / "old", FORMAT, version="old")
        storage.delete_model_version("ml-local", "m", "old")  # SHARED's blob: used by none
    handler = _Delayed()
    logger = logging.getLogger("frogml")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.WARNING)
    parent, child = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_upload_in_a_child, args=(str(root), str(tmp_path / "new"), child)
    )
    process.start()
    reports: list[GarbageReport] = []
    cleaner = threading.Thread(
        target=lambda: reports.append(LocalStore(root, clock=SystemClock()).collect_garbage())
    )
    try:
        assert parent.poll(_WAIT)
        assert parent.recv() == "paused"
        cleaner.start()
        assert handler.seen.wait(_WAIT), "the clean-up did not wait for the upload"
        parent.send("go")
        assert parent.poll(_WAIT)
        assert parent.recv() == "committed"
        cleaner.join(_WAIT)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
        process.join(_WAIT)
    assert reports == [GarbageReport(location=str(root))]  # nothing the upload needs
    with FrogMLStorage(env={"FROGML_STORE_DIR": str(root), "HOME": str(tmp_path)}) as storage:
        storage.download_model_version("ml-local", "m", "new", tmp_path / "out")
    assert (tmp_path / "out" / "shared.bin").read_bytes() == SHARED
    assert (tmp_path / "out" / "own.bin").read_bytes() == OWN
    assert (root / "blobs" / "sha256" / sha(SHARED)[:2] / sha(SHARED)).is_file()
