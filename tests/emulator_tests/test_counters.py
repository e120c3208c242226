"""Counters by kind and status, bytes moved, and reset."""

from __future__ import annotations

import hashlib

import urllib3

from emulator import Emulator

from .conftest import TOKEN
from .mlclient import start


def test_requests_are_counted_by_kind_and_status(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    data = b"z" * 20_000
    url = f"{emulator.url}/ml-local/c.bin"
    http.request("PUT", url, body=data, headers=TOKEN)
    sha = hashlib.sha256(data).hexdigest()
    http.request(
        "PUT", url + "2", headers={**TOKEN, "X-Checksum-Deploy": "true", "X-Checksum-Sha256": sha}
    )
    http.request(
        "PUT",
        url + "3",
        headers={**TOKEN, "X-Checksum-Deploy": "true", "X-Checksum-Sha256": "0" * 64},
    )
    http.request("GET", url, headers=TOKEN)
    http.request("GET", url, headers={**TOKEN, "Range": "bytes=0-99"})
    http.request("HEAD", url, headers=TOKEN)
    http.request("GET", f"{emulator.url}/api/storage/ml-local/c.bin", headers=TOKEN)
    start(http, emulator, "m", "1")
    snap = emulator.counters.snapshot()
    assert snap.requests["deploy"] == 1
    assert snap.count("checksum_deploy", 201) == 1
    assert snap.count("checksum_deploy", 404) == 1
    assert snap.statuses["download"] == {200: 1, 206: 1}
    assert snap.count("head", 200) == 1
    assert snap.count("storage") == 1
    assert snap.count("start_transaction", 200) == 1
    assert snap.bytes_received == len(data)
    assert snap.bytes_sent == len(data) + 100  # HEAD sends no body bytes


def test_reset_zeroes_everything(emulator: Emulator, http: urllib3.PoolManager) -> None:
    http.request("GET", f"{emulator.url}/api/system/ping")
    emulator.counters.reset()
    snap = emulator.counters.snapshot()
    assert (snap.requests, snap.statuses, snap.bytes_received, snap.bytes_sent) == ({}, {}, 0, 0)


def test_control_requests_are_not_counted(emulator: Emulator, http: urllib3.PoolManager) -> None:
    http.request("GET", f"{emulator.base_url}/_emulator/counters")
    assert emulator.counters.snapshot().requests == {}
