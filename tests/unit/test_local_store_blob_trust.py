"""Deduplication in the embedded store trusts a blob only while the stat key recorded
when it was written is unchanged; otherwise it hashes the blob once more. A damaged
blob is stored again, and a damaged partial download is retried in the same run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from frogml import AuthConfig, FrogMLStorage
from frogml.adapters.local_store import LocalStore, _blob_keys
from frogml.adapters.memory import ManualClock
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.ports.artifact_store import Area, UploadItem
from frogml.domain.ports.progress import NULL_EVENTS
from tests.integration.helpers import files_under, write_tree
from tests.unit.test_local_store import Bytes, publish_dataset

SOURCE = Bytes("w.bin", b"good bytes " * 1000)


def _ref(version: str) -> EntityRef:
    return EntityRef(repository="r", kind=EntityKind.DATASET, name="d", version=version)


def _blob(root: Path) -> Path:
    return root / "blobs/sha256" / SOURCE.sha256[:2] / SOURCE.sha256


def _damage(blob: Path) -> None:
    """Other bytes of the same size, written later (the mtime moves)."""
    st = blob.stat()
    blob.chmod(0o644)
    with open(blob, "r+b") as file:
        file.write(b"BAD!")
    os.utime(blob, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def hashings(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every blob the store hashes again (nothing else counts)."""
    seen: list[Path] = []
    original = _blob_keys._sha256_of

    def counting(path: Path) -> str:
        seen.append(path)
        return original(path)

    monkeypatch.setattr(_blob_keys, "_sha256_of", counting)
    return seen


def _upload(store: LocalStore, version: str) -> tuple[int, int]:
    transaction = store.begin(_ref(version))
    report = store.upload(transaction, [UploadItem(area=Area.FILES, source=SOURCE)], NULL_EVENTS)
    store.abort(transaction)
    return report.files_sent, report.files_deduplicated


def test_an_unchanged_blob_is_reused_without_hashing_it(
    tmp_path: Path, hashings: list[Path]
) -> None:
    store = LocalStore(tmp_path, clock=ManualClock())
    publish_dataset(store, _ref("1"), [SOURCE])
    assert _upload(store, "2") == (0, 1)
    assert hashings == []


def test_a_damaged_blob_is_not_reused_but_stored_again(
    tmp_path: Path, hashings: list[Path]
) -> None:
    store = LocalStore(tmp_path, clock=ManualClock())
    publish_dataset(store, _ref("1"), [SOURCE])
    _damage(_blob(tmp_path))

    publish_dataset(store, _ref("2"), [SOURCE])
    assert hashings == [_blob(tmp_path)]  # hashed once: its key had changed
    assert _blob(tmp_path).read_bytes() == SOURCE.data
    storage = FrogMLStorage(AuthConfig(f"file://{tmp_path}"))
    storage.download_dataset_version("r", "d", "2", str(tmp_path / "out"))
    assert files_under(tmp_path / "out") == {"w.bin": SOURCE.data}


def test_a_blob_of_a_store_without_keys_is_hashed_once_then_trusted(
    tmp_path: Path, hashings: list[Path]
) -> None:
    store = LocalStore(tmp_path, clock=ManualClock())
    publish_dataset(store, _ref("1"), [SOURCE])
    for key in (tmp_path / "blob-keys").rglob("*"):
        if key.is_file():
            key.unlink()  # as a store written by an earlier frogml

    assert _upload(store, "2") == (0, 1)
    assert _upload(store, "3") == (0, 1)
    assert hashings == [_blob(tmp_path)]


def test_a_damaged_partial_download_is_retried_in_the_same_run(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "src", {"w.bin": SOURCE.data})
    storage = FrogMLStorage(AuthConfig(f"file://{tmp_path / 'store'}"))
    storage.upload_dataset_version("r", "d", str(source), version="1")
    out = tmp_path / "out"
    out.mkdir()
    # A partial file left by an earlier run, its bytes damaged since.
    partial = out / f".w.bin.{SOURCE.sha256[:16]}.frogml-partial"
    partial.write_bytes(b"XXXX" + SOURCE.data[4:5000])

    storage.download_dataset_version("r", "d", "1", str(out))
    assert files_under(out) == {"w.bin": SOURCE.data}


def test_a_blob_rewritten_in_place_with_its_mtime_put_back_is_not_trusted(
    tmp_path: Path, hashings: list[Path]
) -> None:
    """As ``touch -r`` or ``rsync -t --inplace`` leave it: size, mtime, inode all equal;
    only ctime tells."""
    store = LocalStore(tmp_path, clock=ManualClock())
    publish_dataset(store, _ref("1"), [SOURCE])
    blob = _blob(tmp_path)
    st = blob.stat()
    blob.chmod(0o644)
    with open(blob, "r+b") as file:
        file.write(b"BAD!")
    blob.chmod(st.st_mode & 0o777)
    os.utime(blob, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = blob.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        st.st_size,
        st.st_mtime_ns,
        st.st_ino,
    )

    assert _upload(store, "2") == (1, 0)  # hashed, found damaged, stored again
    assert hashings == [blob]
    assert blob.read_bytes() == SOURCE.data
