"""`POST /api/search/aql`: the part of AQL the emulator answers."""

from __future__ import annotations

import msgspec
import urllib3

from emulator import Emulator

from .conftest import TOKEN


def _find(http: urllib3.PoolManager, emu: Emulator, criteria: object) -> list[dict[str, object]]:
    body = b"items.find(" + msgspec.json.encode(criteria) + b").include('*')"
    answer = http.request("POST", f"{emu.url}/api/search/aql", body=body, headers=TOKEN)
    assert answer.status == 200
    results: list[dict[str, object]] = answer.json()["results"]
    return results


def _seed(emu: Emulator) -> None:
    emu.put_bytes("ml-local", "m/a.bin", b"a")
    emu.put_bytes("ml-local", "m/sub/b.bin", b"bb")
    emu.create_repo("other")
    emu.put_bytes("other", "m/a.bin", b"other")


def test_a_named_repository_is_the_only_one_searched(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    _seed(emulator)
    found = _find(http, emulator, {"repo": "ml-local", "name": "a.bin"})
    assert [(r["repo"], r["path"], r["name"], r["size"]) for r in found] == [
        ("ml-local", "m", "a.bin", 1)
    ]
    everywhere = _find(http, emulator, {"name": "a.bin"})
    assert sorted(str(r["repo"]) for r in everywhere) == ["ml-local", "other"]


def test_criteria_on_size_and_dates_are_evaluated(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    _seed(emulator)
    by_size = _find(http, emulator, {"repo": "ml-local", "size": 2})
    assert [r["name"] for r in by_size] == ["b.bin"]
    nested = _find(http, emulator, {"$or": [{"size": {"$eq": 5}}, {"name": "b.bin"}]})
    assert sorted(str(r["name"]) for r in nested) == ["a.bin", "b.bin"]
    (first,) = _find(http, emulator, {"repo": "ml-local", "name": "a.bin"})
    assert _find(http, emulator, {"repo": "ml-local", "created": first["created"], "name": "a.bin"})
