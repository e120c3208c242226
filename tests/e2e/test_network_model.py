"""The benchmarks' network model (benchmarks/netem.py) costs what it says.

Only lower bounds are checked: a shaped answer can never arrive earlier than the model
allows, whatever the machine's speed, so these checks cannot flake on a slow runner.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import urllib3

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from netem import Link, NetworkModel

LINK = Link(rtt_ms=30.0, conn_mbps=4.0, link_mbps=6.0, handshake_rtts=2.0)
AUTH = {"Authorization": f"Bearer {EMULATOR_TOKEN}"}


def _timed(pool: urllib3.PoolManager, url: str) -> tuple[float, bytes]:
    started = time.monotonic()
    answer = pool.request("GET", url, headers=AUTH)
    return time.monotonic() - started, answer.data


def test_round_trips_handshakes_and_bandwidth_are_paid(emulator: Emulator) -> None:
    payload = b"\x5a" * 400_000
    emulator.put_bytes("ml-local", "blob.bin", payload)
    with NetworkModel(("127.0.0.1", emulator.port), LINK) as model:
        pool = urllib3.PoolManager(maxsize=4)
        first, _ = _timed(pool, f"{model.url}/artifactory/api/system/ping")
        again, _ = _timed(pool, f"{model.url}/artifactory/api/system/ping")
        bulk, data = _timed(pool, f"{model.url}/artifactory/ml-local/blob.bin")
        pool.clear()
    assert data == payload  # shaping never changes a byte
    assert first >= 3 * 0.030  # two round trips of handshake, then the request's own
    assert again >= 0.030  # a reused connection pays one round trip
    assert bulk >= len(payload) / 4e6  # 400 kB at 4 MB/s per connection
    assert model.connections == 1  # the pool reused its connection
