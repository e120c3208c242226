"""Each kind of injected fault, in-process."""

from __future__ import annotations

import hashlib
import threading

import pytest
import urllib3
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from emulator import Emulator

from .conftest import TOKEN

DATA = bytes(range(256)) * 4096  # 1 MiB


def _seed(emu: Emulator) -> str:
    emu.put_bytes("ml-local", "f.bin", DATA)
    return f"{emu.url}/ml-local/f.bin"


def test_fail_answers_the_status_n_times_with_retry_after(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    url = _seed(emulator)
    rule = emulator.faults.fail("GET", r"/ml-local/f\.bin$", status=429, times=2, retry_after=3)
    statuses = []
    for _ in range(3):
        response = http.request("GET", url, headers=TOKEN)
        statuses.append(response.status)
        if response.status == 429:
            assert response.headers["Retry-After"] == "3"
            assert response.json()["errors"][0]["status"] == 429
    assert statuses == [429, 429, 200]
    assert emulator.faults.fired(rule) == 2


def test_fail_matches_the_method(emulator: Emulator, http: urllib3.PoolManager) -> None:
    url = _seed(emulator)
    emulator.faults.fail("PUT", "f.bin", status=500)
    assert http.request("GET", url, headers=TOKEN).status == 200
    assert http.request("PUT", url, body=b"x", headers=TOKEN).status == 500
    assert emulator.read_bytes("ml-local", "f.bin") == DATA  # the failed deploy stored nothing


def test_fail_forever_until_cleared(emulator: Emulator, http: urllib3.PoolManager) -> None:
    url = _seed(emulator)
    emulator.faults.fail("*", "f.bin", status=503, times=None)
    assert [http.request("GET", url, headers=TOKEN).status for _ in range(3)] == [503, 503, 503]
    emulator.faults.clear()
    assert http.request("GET", url, headers=TOKEN).status == 200


def test_reset_request_cuts_an_upload(emulator: Emulator, http: urllib3.PoolManager) -> None:
    emulator.faults.reset_request("PUT", "up.bin", after_bytes=1000)
    with pytest.raises(ProtocolError):
        http.request("PUT", f"{emulator.url}/ml-local/up.bin", body=DATA * 8, headers=TOKEN)
    assert emulator.paths("ml-local") == []
    assert emulator.counters.snapshot().count("deploy", 0) == 1


def test_reset_response_cuts_a_download(emulator: Emulator, http: urllib3.PoolManager) -> None:
    url = _seed(emulator)
    emulator.faults.reset_response("GET", "f.bin", after_bytes=5000)
    with pytest.raises(ProtocolError):
        http.request("GET", url, headers=TOKEN)
    assert http.request("GET", url, headers=TOKEN).data == DATA


def test_truncate_announces_the_full_length_then_closes(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    url = _seed(emulator)
    emulator.faults.truncate("GET", "f.bin", after_bytes=100)
    response = http.request("GET", url, headers=TOKEN, preload_content=False)
    assert response.headers["Content-Length"] == str(len(DATA))
    with pytest.raises(ProtocolError):
        response.read()


def test_corrupt_flips_one_byte_and_keeps_the_checksum_headers(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    url = _seed(emulator)
    emulator.faults.corrupt("GET", "f.bin", offset=7)
    response = http.request("GET", url, headers=TOKEN)
    assert response.status == 200
    assert response.headers["X-Checksum-Sha256"] == hashlib.sha256(DATA).hexdigest()
    body = response.data
    assert len(body) == len(DATA)
    assert [i for i in range(len(DATA)) if body[i] != DATA[i]] == [7]
    assert body[7] == DATA[7] ^ 0xFF


def test_stall_triggers_a_client_read_timeout(emulator: Emulator) -> None:
    _seed(emulator)
    emulator.faults.stall("GET", "f.bin", seconds=60)
    pool = urllib3.HTTPConnectionPool(
        "127.0.0.1", emulator.port, retries=False, timeout=urllib3.Timeout(read=0.2)
    )
    with pytest.raises(ReadTimeoutError):
        pool.request("GET", "/artifactory/ml-local/f.bin", headers=TOKEN)
    pool.close()


def test_a_mid_body_stall_sends_the_first_bytes_then_waits(emulator: Emulator) -> None:
    _seed(emulator)
    rule = emulator.faults.stall("GET", "f.bin", seconds=60, after_bytes=300_000)
    pool = urllib3.HTTPConnectionPool(
        "127.0.0.1", emulator.port, retries=False, timeout=urllib3.Timeout(read=0.2)
    )
    response = pool.request(
        "GET", "/artifactory/ml-local/f.bin", headers=TOKEN, preload_content=False
    )
    assert response.status == 200
    received = bytearray()

    def receive() -> None:
        for chunk in response.stream(10_000):
            received.extend(chunk)

    with pytest.raises(ReadTimeoutError):
        receive()
    assert bytes(received) == DATA[:300_000]
    assert emulator.faults.fired(rule) == 1
    pool.close()


def test_stop_interrupts_a_stalled_handler() -> None:
    emu = Emulator(tokens={"test-token"}).start()
    rule = emu.faults.stall("GET", "api/system/ping", seconds=600)
    outcome: list[BaseException | int] = []

    def call() -> None:
        pool = urllib3.HTTPConnectionPool("127.0.0.1", emu.port, retries=False, timeout=600)
        try:
            outcome.append(pool.request("GET", "/artifactory/api/system/ping").status)
        except urllib3.exceptions.HTTPError as exc:
            outcome.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    assert emu.faults.wait_fired(rule)
    emu.stop()  # returns only once every handler thread has finished
    caller.join(timeout=30)
    assert not caller.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], ProtocolError)
