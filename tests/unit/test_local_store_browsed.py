"""The embedded store stays readable after a person browsed or touched its folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from frogml.adapters.local_store import LocalStore
from frogml.adapters.memory import ManualClock
from frogml.domain.errors import FrogMLError, NotFoundError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.ports.artifact_store import Area, Transaction, UploadItem
from tests.unit.test_local_store import DATASET, Bytes, publish_dataset


def test_files_a_file_browser_leaves_behind_are_neither_versions_nor_entities(
    tmp_path: Path,
) -> None:
    store = LocalStore(tmp_path, clock=ManualClock())
    publish_dataset(store, DATASET, [Bytes("a.txt", b"a")])
    datasets = tmp_path / "repositories/r/datasets"
    for stray in (datasets / ".DS_Store", datasets / "d/.DS_Store", datasets / "@notes"):
        stray.write_bytes(b"finder")
    (datasets / "empty").mkdir()
    (datasets / "empty/.DS_Store").write_bytes(b"finder")

    versions = store.list_versions(DATASET.unversioned())

    assert [v.version for v in versions] == ["1.0"]
    assert store.list_entities("r", EntityKind.DATASET) == ["d"]
    with pytest.raises(NotFoundError) as caught:
        store.list_versions(EntityRef(repository="r", kind=EntityKind.DATASET, name="empty"))
    assert caught.value.what == "dataset"


class AbortsAfterTheFirstFile:
    """Progress events of an upload aborted (by another thread) after its first file."""

    def __init__(self, store: LocalStore) -> None:
        self.store = store
        self.transaction: Transaction | None = None

    def started(self, *, files: int, total_bytes: int) -> None: ...

    def advanced(self, nbytes: int) -> None: ...

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        assert self.transaction is not None
        self.store.abort(self.transaction)

    def finished(self) -> None: ...


def test_an_upload_into_an_aborted_transaction_is_a_frogml_error(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, clock=ManualClock())
    events = AbortsAfterTheFirstFile(store)
    transaction = store.begin(DATASET)
    events.transaction = transaction
    items = [UploadItem(area=Area.FILES, source=Bytes(n, n.encode())) for n in ("a", "b")]

    with pytest.raises(FrogMLError):
        store.upload(transaction, items, events)
