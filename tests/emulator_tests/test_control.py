"""The `/_emulator` control endpoints used by out-of-process callers."""

from __future__ import annotations

import json

import msgspec
import urllib3

from emulator import CountersSnapshot, Emulator

from .conftest import TOKEN


def _control(
    http: urllib3.PoolManager, emu: Emulator, method: str, tail: str, body: object = None
) -> urllib3.BaseHTTPResponse:
    data = None if body is None else json.dumps(body).encode()
    return http.request(method, f"{emu.base_url}/_emulator/{tail}", body=data)


def test_faults_can_be_armed_listed_and_cleared_over_http(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    armed = _control(
        http,
        emulator,
        "POST",
        "faults",
        {"kind": "fail", "method": "GET", "path": "ping", "status": 503, "times": 2},
    )
    assert armed.status == 201
    assert armed.json()["id"] >= 1
    listed = _control(http, emulator, "GET", "faults").json()
    assert [(r["kind"], r["status"], r["times"]) for r in listed] == [("fail", 503, 2)]
    assert http.request("GET", f"{emulator.url}/api/system/ping").status == 503
    assert _control(http, emulator, "DELETE", "faults").status == 204
    assert http.request("GET", f"{emulator.url}/api/system/ping").status == 200


def test_a_bad_fault_rule_is_400(emulator: Emulator, http: urllib3.PoolManager) -> None:
    assert _control(http, emulator, "POST", "faults", {"kind": "explode"}).status == 400
    assert _control(http, emulator, "POST", "faults", {"kind": "fail", "path": "("}).status == 400


def test_counters_over_http(emulator: Emulator, http: urllib3.PoolManager) -> None:
    http.request("PUT", f"{emulator.url}/ml-local/a.bin", body=b"abc", headers=TOKEN)
    response = _control(http, emulator, "GET", "counters")
    snap = msgspec.json.decode(response.data, type=CountersSnapshot)
    assert snap.count("deploy", 201) == 1
    assert snap.bytes_received == 3
    assert _control(http, emulator, "DELETE", "counters").status == 204
    assert emulator.counters.snapshot().requests == {}


def test_repos_and_tokens_over_http(emulator: Emulator, http: urllib3.PoolManager) -> None:
    assert _control(http, emulator, "PUT", "repos/other").status == 201
    assert (
        _control(http, emulator, "POST", "tokens", {"token": "late", "can_write": False}).status
        == 201
    )
    response = http.request(
        "PUT", f"{emulator.url}/other/a.bin", body=b"x", headers={"Authorization": "Bearer late"}
    )
    assert response.status == 403
    assert (
        http.request("PUT", f"{emulator.url}/other/a.bin", body=b"x", headers=TOKEN).status == 201
    )
