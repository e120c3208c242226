"""`/api/storage`: item info, file lists and properties."""

from __future__ import annotations

import hashlib

import urllib3

from emulator import Emulator

from .conftest import TOKEN


def _seed(emu: Emulator) -> None:
    for path in ("m/a.bin", "m/sub/b.bin", "m/sub/deeper/c.bin"):
        emu.put_bytes("ml-local", path, path.encode())


def _get(http: urllib3.PoolManager, emu: Emulator, tail: str) -> urllib3.BaseHTTPResponse:
    return http.request("GET", f"{emu.url}/api/storage/ml-local/{tail}", headers=TOKEN)


def test_folder_info_lists_children(emulator: Emulator, http: urllib3.PoolManager) -> None:
    _seed(emulator)
    info = _get(http, emulator, "m").json()
    assert info["path"] == "/m"
    assert info["children"] == [{"uri": "/a.bin", "folder": False}, {"uri": "/sub", "folder": True}]


def test_file_info_has_size_as_string_and_checksums(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    _seed(emulator)
    info = _get(http, emulator, "m/a.bin").json()
    assert info["size"] == str(len(b"m/a.bin"))
    assert info["checksums"]["sha256"] == hashlib.sha256(b"m/a.bin").hexdigest()
    assert info["downloadUri"] == f"{emulator.url}/ml-local/m/a.bin"


def test_a_missing_item_is_404(emulator: Emulator, http: urllib3.PoolManager) -> None:
    response = _get(http, emulator, "nothing/here")
    assert response.status == 404
    assert response.json()["errors"][0]["status"] == 404


def test_deep_list_with_folders(emulator: Emulator, http: urllib3.PoolManager) -> None:
    _seed(emulator)
    files = _get(http, emulator, "m?list&deep=1&listFolders=1").json()["files"]
    assert [(f["uri"], f["folder"], f["size"]) for f in files] == [
        ("/a.bin", False, 7),
        ("/sub", True, -1),
        ("/sub/b.bin", False, 11),
        ("/sub/deeper", True, -1),
        ("/sub/deeper/c.bin", False, 18),
    ]
    first = files[0]
    assert first["sha1"] == hashlib.sha1(b"m/a.bin", usedforsecurity=False).hexdigest()
    assert first["sha2"] == hashlib.sha256(b"m/a.bin").hexdigest()
    assert first["lastModified"].endswith("Z")


def test_shallow_list_without_folders(emulator: Emulator, http: urllib3.PoolManager) -> None:
    _seed(emulator)
    files = _get(http, emulator, "m?list&deep=0&listFolders=0").json()["files"]
    assert [f["uri"] for f in files] == ["/a.bin"]


def test_properties_are_404_until_set(emulator: Emulator, http: urllib3.PoolManager) -> None:
    _seed(emulator)
    missing = _get(http, emulator, "m/a.bin?properties")
    assert missing.status == 404
    assert missing.json()["errors"][0]["message"] == "No properties could be found."
    url = f"{emulator.url}/api/storage/ml-local/m/a.bin?properties=stage=prod,qa;owner=ml%2Fteam"
    assert http.request("PUT", url, headers=TOKEN).status == 204
    got = _get(http, emulator, "m/a.bin?properties").json()
    assert got["properties"] == {"stage": ["prod", "qa"], "owner": ["ml/team"]}
    assert got["uri"] == f"{emulator.url}/api/storage/ml-local/m/a.bin"


def test_escaped_separators_stay_in_property_values(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    _seed(emulator)
    url = f"{emulator.url}/api/storage/ml-local/m/a.bin?properties=note=a%5C,b%5C;c"
    assert http.request("PUT", url, headers=TOKEN).status == 204
    assert _get(http, emulator, "m/a.bin?properties").json()["properties"] == {"note": ["a,b;c"]}


def test_recursive_properties_reach_descendants_unless_recursive_0(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    _seed(emulator)
    base = f"{emulator.url}/api/storage/ml-local"
    assert (
        http.request("PUT", f"{base}/m/sub?properties=a=1&recursive=0", headers=TOKEN).status == 204
    )
    assert _get(http, emulator, "m/sub/b.bin?properties").status == 404
    assert http.request("PUT", f"{base}/m/sub?properties=b=2", headers=TOKEN).status == 204
    assert _get(http, emulator, "m/sub/deeper/c.bin?properties").json()["properties"] == {
        "b": ["2"]
    }


def test_deleting_properties(emulator: Emulator, http: urllib3.PoolManager) -> None:
    _seed(emulator)
    base = f"{emulator.url}/api/storage/ml-local/m/a.bin"
    http.request("PUT", f"{base}?properties=a=1;b=2", headers=TOKEN)
    assert http.request("DELETE", f"{base}?properties=a", headers=TOKEN).status == 204
    assert _get(http, emulator, "m/a.bin?properties").json()["properties"] == {"b": ["2"]}
