"""LocalStore: races between processes, damaged files, the on-disk layout."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from frogml.adapters.local_store import LocalStore
from frogml.adapters.memory import ManualClock
from frogml.domain.errors import AlreadyExistsError, ProtocolError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.manifest import Artifact, DatasetInfo, ModelInfo
from frogml.domain.model.manifest_json import encode_manifest
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.ports.artifact_store import Area, UploadItem
from frogml.domain.ports.progress import NULL_EVENTS

DATASET = EntityRef(repository="r", kind=EntityKind.DATASET, name="d", version="1.0")
MODEL = EntityRef(repository="r", kind=EntityKind.MODEL, name="m", namespace="ns", version="1")
FORMAT = SerializationMetadata(
    framework="f", framework_version="1", serialization_format="s", runtime="p", runtime_version="3"
)


@dataclass(frozen=True)
class Bytes:
    """A source held in memory."""

    rel_path: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def open(self) -> BinaryIO:
        return io.BytesIO(self.data)


def artifact(source: Bytes) -> Artifact:
    return Artifact(artifact_path=source.rel_path, size=source.size, sha256=source.sha256)


def publish_dataset(store: LocalStore, ref: EntityRef, sources: list[Bytes]) -> None:
    transaction = store.begin(ref)
    items = [UploadItem(area=Area.FILES, source=s) for s in sources]
    store.upload(transaction, items, NULL_EVENTS)
    manifest = DatasetInfo(
        created_date="2026-01-02T03:04:05.00",
        dataset_artifacts=tuple(artifact(s) for s in sources),
    )
    store.commit(transaction, manifest, {"k": "v"})


def _race(root: str, marker: bytes, barrier: Any, results: Any) -> None:
    store = LocalStore(Path(root), clock=ManualClock())
    source = Bytes("f.txt", marker)
    transaction = store.begin(DATASET)
    store.upload(transaction, [UploadItem(area=Area.FILES, source=source)], NULL_EVENTS)
    manifest = DatasetInfo(
        created_date="2026-01-02T03:04:05.00", dataset_artifacts=(artifact(source),)
    )
    barrier.wait()  # both commit at the same moment
    try:
        store.commit(transaction, manifest, {})
        results.put(("won", marker))
    except AlreadyExistsError:
        store.abort(transaction)
        results.put(("lost", marker))


def test_two_processes_publishing_the_same_version_exactly_one_wins(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_race, args=(str(tmp_path), marker, barrier, results))
        for marker in (b"first", b"second")
    ]
    for worker in workers:
        worker.start()
    outcomes = sorted(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)

    assert [outcome for outcome, _ in outcomes] == ["lost", "won"]
    winner = next(marker for outcome, marker in outcomes if outcome == "won")
    store = LocalStore(tmp_path, clock=ManualClock())
    stored = store.read_manifest(DATASET)
    assert isinstance(stored, DatasetInfo)
    assert stored.dataset_artifacts[0].sha256 == hashlib.sha256(winner).hexdigest()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_corrupt_manifest_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, clock=ManualClock())
    publish_dataset(store, DATASET, [Bytes("a.txt", b"a")])
    manifest = tmp_path / "repositories/r/datasets/d/1.0/dataset-info.json"
    manifest.write_bytes(b'{"created_date": 3')

    with pytest.raises(ProtocolError, match=r"dataset-info\.json"):
        store.read_manifest(DATASET)
    assert [v.version for v in store.list_versions(DATASET)] == ["1.0"]


def test_identical_content_is_stored_once(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, clock=ManualClock())
    same = [Bytes("a.txt", b"same"), Bytes("b/c.txt", b"same")]
    publish_dataset(store, DATASET, same)
    publish_dataset(store, DATASET.with_version("2.0"), [Bytes("z.txt", b"same")])

    blobs = [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]
    assert len(blobs) == 1
    assert blobs[0].read_bytes() == b"same"


def test_a_version_folder_can_be_browsed(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, clock=ManualClock())
    files, dep, code = Bytes("w/model.pt", b"w"), Bytes("req.txt", b"r"), Bytes("c.zip", b"c")
    transaction = store.begin(MODEL)
    items = [
        UploadItem(area=Area.FILES, source=files),
        UploadItem(area=Area.DEPENDENCIES, source=dep),
        UploadItem(area=Area.CODE, source=code),
    ]
    store.upload(transaction, items, NULL_EVENTS)
    manifest = ModelInfo(
        created_date="2026-01-02T03:04:05.00",
        model_artifacts=(artifact(files),),
        model_format=FORMAT,
        dependency_artifacts=(artifact(dep),),
        code_artifact=artifact(code),
    )
    store.commit(transaction, manifest, {"stage": "prod"})

    folder = tmp_path / "repositories/r/models/@ns/m/1"
    assert (folder / "model-info.json").read_bytes() == encode_manifest(manifest)
    assert (folder / "files/w/model.pt").read_bytes() == b"w"
    assert (folder / "dependencies/req.txt").read_bytes() == b"r"
    assert (folder / "code/c.zip").read_bytes() == b"c"
    assert store.read_properties(MODEL) == {"stage": "prod"}


def test_entities_with_and_without_namespace_never_share_a_folder(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, clock=ManualClock())
    plain = EntityRef(repository="r", kind=EntityKind.DATASET, name="acme", version="fraud")
    spaced = EntityRef(
        repository="r", kind=EntityKind.DATASET, name="fraud", namespace="acme", version="1"
    )
    publish_dataset(store, plain, [Bytes("a", b"plain")])
    publish_dataset(store, spaced, [Bytes("a", b"spaced")])

    assert store.list_entities("r", EntityKind.DATASET) == ["acme", "acme/fraud"]
    assert store.list_entities("r", EntityKind.MODEL) == []
    assert [v.version for v in store.list_versions(plain)] == ["fraud"]


def test_a_republish_is_refused_already_at_begin(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, clock=ManualClock())
    publish_dataset(store, DATASET, [Bytes("a", b"a")])

    with pytest.raises(AlreadyExistsError):
        store.begin(DATASET)


def test_stale_transactions_are_removed_when_a_new_one_begins(tmp_path: Path) -> None:
    stale = tmp_path / "tmp/deadbeef"
    stale.mkdir(parents=True)
    (stale / "x.blob").write_bytes(b"left by a crash")
    os.utime(stale, (0, 0))
    store = LocalStore(tmp_path, clock=ManualClock())

    transaction = store.begin(DATASET)

    assert [p.name for p in (tmp_path / "tmp").iterdir()] == [transaction.transaction_id]


def test_a_blob_of_the_wrong_size_is_replaced_on_upload(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, clock=ManualClock())
    source = Bytes("a.txt", b"good bytes")
    blob = tmp_path / "blobs/sha256" / source.sha256[:2] / source.sha256
    blob.parent.mkdir(parents=True)
    blob.write_bytes(b"bad")

    transaction = store.begin(DATASET)
    report = store.upload(transaction, [UploadItem(area=Area.FILES, source=source)], NULL_EVENTS)

    assert report.bytes_sent == source.size
    assert blob.read_bytes() == b"good bytes"
