"""FrogMLStorage releases its store's connections: ``close()`` or a ``with`` block."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from emulator import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from frogml import AuthConfig, FrogMLStorage
from frogml.adapters.memory import InMemoryStore


class ClosableStore(InMemoryStore):
    """An in-memory store that records being closed."""

    closed = 0

    def close(self) -> None:
        self.closed += 1


def _serving_connections() -> int:
    return sum("process_request_thread" in t.name for t in threading.enumerate())


def test_a_with_block_closes_the_store() -> None:
    store = ClosableStore()
    with FrogMLStorage(store=store) as storage:
        assert storage.location == "custom store"
        assert store.closed == 0

    assert store.closed == 1


def test_closing_an_embedded_storage_is_harmless(tmp_path: Path) -> None:
    with FrogMLStorage(env={"FROGML_STORE_DIR": str(tmp_path)}) as storage:
        assert storage.location.startswith("embedded store")


def test_close_drops_the_kept_alive_connections_to_artifactory(emulator: Emulator) -> None:
    before = _serving_connections()
    storage = FrogMLStorage(AuthConfig.by_access_token(emulator.url, EMULATOR_TOKEN))
    assert storage.list_models("ml-local") == []  # one request; its connection is kept alive
    assert _serving_connections() == before + 1

    storage.close()

    deadline = time.monotonic() + 5
    while _serving_connections() > before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _serving_connections() == before
