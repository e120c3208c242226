"""``frogml gc``: the embedded store gives back what no version needs, and says so."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from frogml.adapters.filesystem import LocalFileSystem
from frogml.adapters.local_store import LocalStore
from frogml.adapters.memory import InMemoryStore, ManualClock
from frogml.domain.errors import ValidationError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.ports.artifact_store import Area, UploadItem
from frogml.domain.ports.progress import NULL_EVENTS
from frogml.domain.services.collect_garbage import CollectGarbage
from tests.cli.conftest import Invoke

FORMAT = ["--framework", "numpy", "--framework-version", "1.26", "--format", "json"]
DAY = 24 * 3600


def _blobs(store_dir: Path) -> set[str]:
    return {p.name for p in (store_dir / "blobs" / "sha256").glob("*/*")}


def _upload(invoke: Invoke, source: Path, version: str) -> None:
    result = invoke("model", "upload", "ml-local", "m", str(source), *FORMAT, "-v", version)
    assert result.exit_code == 0, result.output


def test_gc_frees_the_contents_only_deleted_versions_used(
    invoke: Invoke, store_dir: Path, model_dir: Path, tmp_path: Path
) -> None:
    _upload(invoke, model_dir, "1")
    (model_dir / "config.json").write_text('{"layers": 4}')  # one new content
    _upload(invoke, model_dir, "2")
    assert invoke("model", "delete", "ml-local", "m", "1", "--yes").exit_code == 0
    (model_dir / "config.json").write_text('{"layers": 3}')
    assert len(_blobs(store_dir)) == 3

    dry = json.loads(invoke("gc", "--dry-run", "--json").stdout)
    assert (dry["dry_run"], dry["blobs"], dry["blob_bytes"]) == (True, 1, len('{"layers": 3}'))
    assert len(_blobs(store_dir)) == 3  # nothing removed yet
    freed = invoke("gc")

    assert freed.exit_code == 0, freed.output
    assert freed.stdout.startswith(f"Freed 13 B in {store_dir}: 1 unused file content(s) (13 B)")
    assert len(_blobs(store_dir)) == 2  # version 2's weights and its config
    out = tmp_path / "out"
    assert invoke("model", "download", "ml-local", "m", "2", str(out)).exit_code == 0
    _upload(invoke, model_dir, "1")  # published again: its freed content is sent again
    assert invoke("model", "download", "ml-local", "m", "1", str(tmp_path / "o1")).exit_code == 0
    assert json.loads(invoke("gc", "--json").stdout)["bytes_freed"] == 0


def test_gc_removes_uploads_abandoned_for_a_day_and_keeps_younger_ones(
    invoke: Invoke, store_dir: Path, tmp_path: Path
) -> None:
    store = LocalStore(store_dir, clock=ManualClock())
    fs = LocalFileSystem()
    ref = EntityRef(repository="r", kind=EntityKind.DATASET, name="d", version="1")
    stagings = {}
    for name in ("old", "young"):
        (tmp_path / name).write_bytes(f"content of the {name} upload".encode())
        (source,) = fs.scan(str(tmp_path / name))
        transaction = store.begin(ref.with_version(name))
        store.upload(transaction, [UploadItem(area=Area.FILES, source=source)], NULL_EVENTS)
        stagings[name] = store_dir / "tmp" / transaction.transaction_id
    for name, age in (("old", 2 * DAY), ("young", 3600)):  # not touched since then
        then = time.time() - age
        for path in (stagings[name], *stagings[name].iterdir()):
            os.utime(path, (then, then))

    report = json.loads(invoke("gc", "--json").stdout)

    assert (report["stale_uploads"], report["blobs"]) == (1, 1)  # the old upload's content
    assert [p.name for p in (store_dir / "tmp").iterdir()] == [stagings["young"].name]
    assert len(_blobs(store_dir)) == 1


def test_gc_cleans_the_embedded_store_even_with_a_server_configured(
    invoke: Invoke,
    store_dir: Path,
    model_dir: Path,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _upload(invoke, model_dir, "1")
    assert invoke("model", "delete", "ml-local", "m", "1", "--yes").exit_code == 0
    monkeypatch.setenv("JF_URL", emulator.url)
    monkeypatch.setenv("JF_ACCESS_TOKEN", EMULATOR_TOKEN)

    report = json.loads(invoke("gc", "--json").stdout)

    assert report["store"] == str(store_dir)
    assert report["blobs"] == 2
    assert _blobs(store_dir) == set()


def test_only_a_store_that_keeps_garbage_is_cleaned() -> None:
    with pytest.raises(ValidationError, match="cleans up after itself"):
        CollectGarbage(store=InMemoryStore())()
