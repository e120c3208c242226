"""The embedded store used by several processes at once, through the public API.

Real processes (spawned), real files: uploads of different versions sharing content,
uploads of the same version (exactly one wins), and downloads (some into one shared
folder) while the uploads run. Afterwards every published version reads back
complete, every blob holds the bytes its name promises, and no staging is left over.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import random
from pathlib import Path
from typing import Any

from frogml import FrogMLStorage
from frogml.domain.errors import AlreadyExistsError

FORMAT = {
    "framework": "f",
    "framework_version": "1",
    "serialization_format": "s",
    "runtime": "p",
    "runtime_version": "3",
}
SHARED = random.Random(1).randbytes(3 << 20)  # in every version: its blob is raced for
BASE = {"shared.bin": SHARED, "config.json": b'{"layers": 3}'}


def _files(marker: str) -> dict[str, bytes]:
    own = random.Random(marker).randbytes(2 << 20)
    return {**BASE, "own.bin": own, "marker.txt": marker.encode()}


def _storage(root: str) -> FrogMLStorage:
    return FrogMLStorage(env={"FROGML_STORE_DIR": f"{root}/store", "HOME": f"{root}/home"})


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def _upload(root: str, version: str, marker: str, start: Any, results: Any) -> None:
    source = Path(root) / "sources" / marker
    _write(source, _files(marker))
    storage = _storage(root)
    start.wait()
    try:
        storage.upload_model_version("repo", "m", str(source), FORMAT, version=version)
        results.put(("won", version, marker))
    except AlreadyExistsError:
        results.put(("lost", version, marker))
    except Exception as exc:  # reported, so that the test fails at once
        results.put(("failed", version, repr(exc)))


def _differences(folder: Path, expected: dict[str, bytes]) -> list[str]:
    """Names missing or wrong in ``folder`` (hidden partial files of another download
    into the same folder are not files of the version)."""
    got = {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}
    return sorted(n for n in {*got, *expected} if got.get(n) != expected.get(n))


def _download(root: str, target: str, start: Any, results: Any) -> None:
    storage = _storage(root)
    start.wait()
    for _ in range(5):
        try:
            storage.download_model_version("repo", "m", "0", target)
        except Exception as exc:
            results.put(("downloaded", target, [repr(exc)]))
            continue
        results.put(("downloaded", target, _differences(Path(target), _files("seed"))))


def test_processes_uploading_and_downloading_at_once_corrupt_nothing(tmp_path: Path) -> None:
    root = str(tmp_path)
    seed = tmp_path / "sources" / "seed"
    _write(seed, _files("seed"))
    _storage(root).upload_model_version("repo", "m", str(seed), FORMAT, version="0")
    shared_target = str(tmp_path / "shared-target")
    jobs: list[tuple[Any, ...]] = [
        (_upload, "1", "a"),
        (_upload, "2", "b"),
        (_upload, "same", "c"),
        (_upload, "same", "d"),
        (_upload, "same", "e"),
        (_download, shared_target),
        (_download, shared_target),
        (_download, str(tmp_path / "own-target")),
    ]
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(len(jobs))
    results = context.Queue()
    workers = [
        context.Process(target=job[0], args=(root, *job[1:], start, results)) for job in jobs
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in range(5 + 3 * 5)]
    for worker in workers:
        worker.join(timeout=60)

    assert [worker.exitcode for worker in workers] == [0] * len(jobs)
    downloads = [wrong for kind, _, wrong in outcomes if kind == "downloaded"]
    assert downloads == [[]] * 15
    uploads = {
        (kind, version, marker) for kind, version, marker in outcomes if kind != "downloaded"
    }
    assert {("won", "1", "a"), ("won", "2", "b")} <= uploads
    same = sorted(kind for kind, version, _ in uploads if version == "same")
    assert same == ["lost", "lost", "won"]
    winner = next(m for kind, v, m in uploads if v == "same" and kind == "won")

    storage = _storage(root)
    for version, marker in (("0", "seed"), ("1", "a"), ("2", "b"), ("same", winner)):
        target = tmp_path / "check" / version
        storage.download_model_version("repo", "m", version, str(target))
        assert {p.name: p.read_bytes() for p in target.iterdir()} == _files(marker)
    store = tmp_path / "store"
    for blob in (store / "blobs").rglob("*"):
        if blob.is_file():
            assert hashlib.sha256(blob.read_bytes()).hexdigest() == blob.name
    assert list((store / "tmp").iterdir()) == []
    assert sorted(p.name for p in Path(shared_target).iterdir()) == sorted(_files("seed"))
