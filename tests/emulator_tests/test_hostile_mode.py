"""The emulator's hostile mode, as a raw HTTP client sees it."""

from __future__ import annotations

import msgspec
import pytest
import urllib3

from emulator import Emulator, FaultRule
from emulator.hostile import ESCAPES, HTML_PAGE

from .conftest import TOKEN

DATA = bytes(range(256)) * 8


def _seed(emu: Emulator) -> str:
    emu.put_bytes("ml-local", "f.bin", DATA)
    return f"{emu.url}/ml-local/f.bin"


def test_trickle_sends_the_whole_body_a_chunk_at_a_time(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    url = _seed(emulator)
    emulator.faults.trickle("GET", "f.bin", seconds=0.001, chunk=256, after_bytes=512)
    response = http.request("GET", url, headers=TOKEN, preload_content=False)
    chunks = []
    while piece := response.read1(1 << 20):
        chunks.append(piece)
    assert b"".join(chunks) == DATA
    assert max(len(c) for c in chunks[1:]) <= 256  # after the first 512 bytes, a trickle


def test_html_answers_a_sign_in_page_with_200(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    url = _seed(emulator)
    emulator.faults.html("GET", "f.bin")
    response = http.request("GET", url, headers=TOKEN)
    assert (response.status, response.data) == (200, HTML_PAGE)
    assert response.headers["Content-Type"] == "text/html"


def test_lie_applies_the_request_then_answers_an_error(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    emulator.faults.lie("PUT", "new.bin", status=404)
    url = f"{emulator.url}/ml-local/new.bin"
    assert http.request("PUT", url, body=b"stored", headers=TOKEN).status == 404
    assert emulator.read_bytes("ml-local", "new.bin") == b"stored"


def test_escapes_fill_an_error_message(emulator: Emulator, http: urllib3.PoolManager) -> None:
    url = _seed(emulator)
    emulator.faults.escapes("GET", "f.bin", status=400)
    response = http.request("GET", url, headers=TOKEN)
    assert response.status == 400
    assert ESCAPES in response.json()["errors"][0]["message"]


def test_rewrite_header_drops_or_replaces_an_answers_header(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    url = _seed(emulator)
    ranged = {**TOKEN, "Range": "bytes=0-9"}
    emulator.faults.rewrite_header("GET", "f.bin", header="content-range")
    dropped = http.request("GET", url, headers=ranged)
    assert (dropped.status, dropped.data) == (206, DATA[:10])
    assert "Content-Range" not in dropped.headers
    emulator.faults.rewrite_header("GET", "f.bin", header="Content-Range", value="bytes 5-14/9")
    replaced = http.request("GET", url, headers=ranged)
    assert replaced.headers["Content-Range"] == "bytes 5-14/9"
    untouched = http.request("GET", url, headers=ranged)  # each rule fired once
    assert untouched.headers["Content-Range"] == f"bytes 0-9/{len(DATA)}"
    with pytest.raises(ValueError, match="Content-Length"):
        emulator.faults.rewrite_header("GET", "f.bin", header="Content-Length", value="1")
    for header in ("Content-Length", " "):  # the control API checks the same
        rule = FaultRule(kind="rewrite_header", path="f.bin", header=header, value="1")
        armed = http.request(
            "POST", f"{emulator.base_url}/_emulator/faults", body=msgspec.json.encode(rule)
        )
        assert armed.status == 400
    assert emulator.faults.rules() == []


def test_hostile_rules_are_armed_over_the_control_api(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    rule = FaultRule(kind="deep_manifest", method="GET", path="entity-manifest", depth=3)
    armed = http.request(
        "POST", f"{emulator.base_url}/_emulator/faults", body=msgspec.json.encode(rule)
    )
    assert armed.status == 201
    assert armed.json()["depth"] == 3
