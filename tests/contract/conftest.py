"""The stores every contract test runs against, each with its matching filesystem.

To add a store, append a factory to ``STORE_FACTORIES``: it receives a fresh folder
and an ExitStack (for servers to stop) and returns a :class:`Harness`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from emulator import Emulator
from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RetryPolicy
from frogml.adapters.filesystem import LocalFileSystem
from frogml.adapters.local_store import LocalStore
from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore, ManualClock
from frogml.domain.ports.artifact_store import ArtifactStore
from frogml.domain.ports.credentials import Credentials
from frogml.domain.ports.filesystem import FileSystem


@dataclass
class Harness:
    """A store, the filesystem that feeds it, and the clock both see."""

    store: ArtifactStore
    filesystem: FileSystem
    clock: ManualClock
    write: Callable[[str, bytes], str]
    """Write a source file (path relative to the work folder); returns the path to give."""
    path: Callable[[str], str]
    """The path to give for a work-relative path (a folder to download into, say)."""
    listing: Callable[[str], dict[str, bytes]]
    """Every file below a folder: ``{rel_path: bytes}``."""
    corrupt_blob: Callable[[str], None]
    """Change the stored bytes of the blob with this SHA-256."""
    controls_clock: bool = True
    """False where the server picks versions and times with its own clock."""
    always_sent_below: int = 0
    """Files smaller than this are always sent, never deduplicated (Artifactory: 10 KiB)."""


def _memory(base: Path, stack: ExitStack) -> Harness:
    clock = ManualClock()
    store = InMemoryStore(clock=clock)
    disk = InMemoryFileSystem()

    def listing(folder: str) -> dict[str, bytes]:
        prefix = "/work/" + folder.strip("/") + "/"
        return {p[len(prefix) :]: d for p, d in disk.files.items() if p.startswith(prefix)}

    return Harness(
        store=store,
        filesystem=disk,
        clock=clock,
        write=lambda rel, data: disk.add_file("/work/" + rel, data),
        path=lambda rel: "/work/" + rel,
        listing=listing,
        corrupt_blob=store.corrupt_blob,
    )


def _local(base: Path, stack: ExitStack) -> Harness:
    clock = ManualClock()
    root = base / "store"
    work = base / "work"

    def corrupt_blob(sha256: str) -> None:
        blob = root / "blobs" / "sha256" / sha256[:2] / sha256
        os.chmod(blob, 0o644)
        blob.write_bytes(b"tampered")

    return Harness(
        store=LocalStore(root, clock=clock),
        filesystem=LocalFileSystem(cache_dir=base / "cache"),
        clock=clock,
        write=_writer(work),
        path=lambda rel: str(work / rel),
        listing=_lister(work),
        corrupt_blob=corrupt_blob,
    )


def _writer(work: Path) -> Callable[[str, bytes], str]:
    def write(rel: str, data: bytes) -> str:
        path = work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return str(path)

    return write


def _lister(work: Path) -> Callable[[str], dict[str, bytes]]:
    def listing(folder: str) -> dict[str, bytes]:
        top = work / folder
        return {
            p.relative_to(top).as_posix(): p.read_bytes() for p in top.rglob("*") if p.is_file()
        }

    return listing


def _artifactory(base: Path, stack: ExitStack) -> Harness:
    """The Artifactory adapter against the emulator (real HTTP on 127.0.0.1)."""
    emulator = stack.enter_context(
        Emulator(tokens={"contract-token"}, repos=("ml-local", "r"), data_dir=base / "emu")
    )
    credentials = Credentials(url=emulator.url, access_token="contract-token", source="tests")
    settings = ArtifactorySettings(
        credentials=credentials,
        retry=RetryPolicy(max_attempts=2, backoff_base=0.01, backoff_cap=0.01, time_budget=5.0),
        read_timeout=30.0,
    )
    store = ArtifactoryStore(settings)
    stack.callback(store.close)
    work = base / "work"

    def corrupt_blob(sha256: str) -> None:
        blob = emulator.store.blobs.path_of(sha256)
        data = bytearray(blob.read_bytes())
        data[0] ^= 0xFF  # same size, other bytes
        blob.write_bytes(bytes(data))

    return Harness(
        store=store,
        filesystem=LocalFileSystem(cache_dir=base / "cache"),
        clock=ManualClock(),
        write=_writer(work),
        path=lambda rel: str(work / rel),
        listing=_lister(work),
        corrupt_blob=corrupt_blob,
        controls_clock=False,
        always_sent_below=10 * 1024,
    )


Factory = Callable[[Path, ExitStack], Harness]
STORE_FACTORIES: list[Factory] = [_memory, _local, _artifactory]
STORE_IDS = ["memory", "local", "artifactory"]


@pytest.fixture(params=STORE_FACTORIES, ids=STORE_IDS)
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Harness]:
    factory: Factory = request.param
    with ExitStack() as stack:
        yield factory(tmp_path, stack)
