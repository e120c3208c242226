"""The stores every contract test runs against, each with its matching filesystem.

To add a store, append a factory to ``STORE_FACTORIES``: it receives a fresh folder
and returns a :class:`Harness`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.filesystem import LocalFileSystem
from adapters.local_store import LocalStore
from adapters.memory import InMemoryFileSystem, InMemoryStore, ManualClock
from domain.ports.artifact_store import ArtifactStore
from domain.ports.filesystem import FileSystem


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


def _memory(base: Path) -> Harness:
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


def _local(base: Path) -> Harness:
    clock = ManualClock()
    root = base / "store"
    work = base / "work"

    def write(rel: str, data: bytes) -> str:
        path = work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return str(path)

    def listing(folder: str) -> dict[str, bytes]:
        top = work / folder
        return {
            p.relative_to(top).as_posix(): p.read_bytes() for p in top.rglob("*") if p.is_file()
        }

    def corrupt_blob(sha256: str) -> None:
        blob = root / "blobs" / "sha256" / sha256[:2] / sha256
        os.chmod(blob, 0o644)
        blob.write_bytes(b"tampered")

    return Harness(
        store=LocalStore(root, clock=clock),
        filesystem=LocalFileSystem(cache_dir=base / "cache"),
        clock=clock,
        write=write,
        path=lambda rel: str(work / rel),
        listing=listing,
        corrupt_blob=corrupt_blob,
    )


STORE_FACTORIES: list[Callable[[Path], Harness]] = [_memory, _local]
STORE_IDS = ["memory", "local"]


@pytest.fixture(params=STORE_FACTORIES, ids=STORE_IDS)
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Harness:
    factory: Callable[[Path], Harness] = request.param
    return factory(tmp_path)
