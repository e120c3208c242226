"""Deploy, checksum deploy, download, ranges and delete of repository paths."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import urllib3

from emulator import Emulator

from .conftest import TOKEN

DATA = b"0123456789" * 1000


def _put(
    http: urllib3.PoolManager, emu: Emulator, path: str, data: bytes, **headers: str
) -> urllib3.BaseHTTPResponse:
    return http.request(
        "PUT", f"{emu.url}/ml-local/{path}", body=data, headers={**TOKEN, **headers}
    )


def test_deploy_answers_201_with_location_and_artifactory_json(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    response = _put(
        http,
        emulator,
        "dir/file.bin",
        DATA,
        **{"X-Checksum-Sha256": hashlib.sha256(DATA).hexdigest()},
    )
    assert response.status == 201
    info = response.json()
    assert response.headers["Location"] == f"{emulator.url}/ml-local/dir/file.bin"
    assert info["repo"] == "ml-local"
    assert info["path"] == "/dir/file.bin"
    assert info["size"] == str(len(DATA))
    assert info["downloadUri"] == f"{emulator.url}/ml-local/dir/file.bin"
    assert info["uri"] == f"{emulator.url}/api/storage/ml-local/dir/file.bin"
    assert info["createdBy"] == "token"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", info["created"])
    assert info["checksums"] == {
        "sha1": hashlib.sha1(DATA, usedforsecurity=False).hexdigest(),
        "md5": hashlib.md5(DATA, usedforsecurity=False).hexdigest(),
        "sha256": hashlib.sha256(DATA).hexdigest(),
    }
    assert info["originalChecksums"] == {"sha256": hashlib.sha256(DATA).hexdigest()}
    assert emulator.read_bytes("ml-local", "dir/file.bin") == DATA


@pytest.mark.parametrize("header", ["X-Checksum-Sha256", "X-Checksum-Sha1", "X-Checksum-Md5"])
def test_deploy_with_a_wrong_checksum_is_409_and_stores_nothing(
    emulator: Emulator, http: urllib3.PoolManager, header: str
) -> None:
    response = _put(http, emulator, "bad.bin", DATA, **{header: "0" * 32})
    assert response.status == 409
    assert response.headers["Content-Type"] == "application/json"
    error = response.json()["errors"][0]
    assert error["status"] == 409
    assert "0" * 32 in error["message"]
    assert emulator.paths("ml-local") == []


def test_chunked_deploy_stores_the_whole_body(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    big = bytes(range(256)) * 9000  # > 2 MiB: several server chunks and the md5 helper

    def parts() -> Iterator[bytes]:
        for start in range(0, len(big), 300_000):
            yield big[start : start + 300_000]

    response = http.urlopen(
        "PUT", f"{emulator.url}/ml-local/chunked.bin", body=parts(), headers=TOKEN, chunked=True
    )
    assert response.status == 201
    assert (
        response.json()["checksums"]["md5"] == hashlib.md5(big, usedforsecurity=False).hexdigest()
    )
    assert emulator.read_bytes("ml-local", "chunked.bin") == big


def test_matrix_parameters_become_properties(emulator: Emulator, http: urllib3.PoolManager) -> None:
    assert _put(http, emulator, "m.bin;build=7;team=ml", b"x").status == 201
    response = http.request(
        "GET", f"{emulator.url}/api/storage/ml-local/m.bin?properties", headers=TOKEN
    )
    assert response.json()["properties"] == {"build": ["7"], "team": ["ml"]}


def test_download_sends_the_artifactory_headers(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    _put(http, emulator, "a/model.pt", DATA)
    response = http.request("GET", f"{emulator.url}/ml-local/a/model.pt", headers=TOKEN)
    assert response.status == 200
    assert response.data == DATA
    headers = response.headers
    assert headers["X-Checksum-Sha256"] == hashlib.sha256(DATA).hexdigest()
    assert headers["X-Checksum-Sha1"] == hashlib.sha1(DATA, usedforsecurity=False).hexdigest()
    assert headers["X-Checksum-Md5"] == hashlib.md5(DATA, usedforsecurity=False).hexdigest()
    assert headers["ETag"] == hashlib.sha1(DATA, usedforsecurity=False).hexdigest()
    assert headers["Content-Length"] == str(len(DATA))
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["X-Artifactory-Filename"] == "model.pt"
    assert headers["Content-Disposition"].startswith('attachment; filename="model.pt"')
    assert headers["Last-Modified"].endswith(" GMT")


def test_head_sends_the_headers_without_a_body(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    _put(http, emulator, "h.bin", DATA)
    response = http.request("HEAD", f"{emulator.url}/ml-local/h.bin", headers=TOKEN)
    assert response.status == 200
    assert response.headers["Content-Length"] == str(len(DATA))
    assert response.data == b""
    # The connection stays usable after a HEAD.
    assert http.request("GET", f"{emulator.url}/ml-local/h.bin", headers=TOKEN).data == DATA


@pytest.mark.parametrize(
    ("spec", "first", "last"),
    [
        ("bytes=10-19", 10, 19),
        ("bytes=9990-", 9990, 9999),
        ("bytes=-5", 9995, 9999),
        ("bytes=0-99999", 0, 9999),
    ],
)
def test_a_single_range_answers_206(
    emulator: Emulator, http: urllib3.PoolManager, spec: str, first: int, last: int
) -> None:
    _put(http, emulator, "r.bin", DATA)
    response = http.request(
        "GET", f"{emulator.url}/ml-local/r.bin", headers={**TOKEN, "Range": spec}
    )
    assert response.status == 206
    assert response.headers["Content-Range"] == f"bytes {first}-{last}/{len(DATA)}"
    assert response.data == DATA[first : last + 1]


def test_an_unsatisfiable_range_answers_416(emulator: Emulator, http: urllib3.PoolManager) -> None:
    _put(http, emulator, "r.bin", DATA)
    response = http.request(
        "GET", f"{emulator.url}/ml-local/r.bin", headers={**TOKEN, "Range": "bytes=10000-"}
    )
    assert response.status == 416
    assert response.headers["Content-Range"] == f"bytes */{len(DATA)}"
    assert response.json()["errors"][0]["status"] == 416


def test_a_missing_file_is_404_file_not_found(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    response = http.request("GET", f"{emulator.url}/ml-local/nope.bin", headers=TOKEN)
    assert response.status == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"errors": [{"status": 404, "message": "File not found."}]}
    assert b'\n  "errors"' in response.data  # pretty-printed, as Artifactory does


def test_an_unknown_repository_is_404_naming_it(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    response = http.request("PUT", f"{emulator.url}/no-such-repo/a.bin", body=b"x", headers=TOKEN)
    assert response.status == 404
    assert "no-such-repo" in response.json()["errors"][0]["message"]


def test_checksum_deploy_links_known_bytes(emulator: Emulator, http: urllib3.PoolManager) -> None:
    _put(http, emulator, "first.bin", DATA)
    sha = hashlib.sha256(DATA).hexdigest()
    response = http.request(
        "PUT",
        f"{emulator.url}/ml-local/copy/second.bin",
        headers={**TOKEN, "X-Checksum-Deploy": "true", "X-Checksum-Sha256": sha},
    )
    assert response.status == 201
    assert response.json()["checksums"]["sha256"] == sha
    assert response.json()["size"] == str(len(DATA))
    assert emulator.read_bytes("ml-local", "copy/second.bin") == DATA


def test_checksum_deploy_of_unknown_bytes_is_404(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    sha = hashlib.sha256(b"never uploaded").hexdigest()
    response = http.request(
        "PUT",
        f"{emulator.url}/ml-local/x.bin",
        headers={**TOKEN, "X-Checksum-Deploy": "true", "X-Checksum-Sha256": sha},
    )
    assert response.status == 404
    assert (
        response.json()["errors"][0]["message"]
        == f"Checksum deploy failed. No existing file with SHA-256: {sha}"
    )


def test_checksum_deploy_without_a_checksum_is_400(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    response = http.request(
        "PUT", f"{emulator.url}/ml-local/x.bin", headers={**TOKEN, "X-Checksum-Deploy": "true"}
    )
    assert response.status == 400
    assert response.json()["errors"][0]["status"] == 400


def test_delete_removes_a_file_then_answers_404(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    _put(http, emulator, "d/one.bin", b"1")
    assert http.request("DELETE", f"{emulator.url}/ml-local/d/one.bin", headers=TOKEN).status == 204
    assert http.request("GET", f"{emulator.url}/ml-local/d/one.bin", headers=TOKEN).status == 404
    assert http.request("DELETE", f"{emulator.url}/ml-local/d/one.bin", headers=TOKEN).status == 404


def test_delete_of_a_folder_removes_everything_below(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    for name in ("f/a.bin", "f/sub/b.bin", "keep.bin"):
        _put(http, emulator, name, b"x")
    assert http.request("DELETE", f"{emulator.url}/ml-local/f", headers=TOKEN).status == 204
    assert emulator.paths("ml-local") == ["keep.bin"]
    assert (
        http.request("GET", f"{emulator.url}/api/storage/ml-local/f", headers=TOKEN).status == 404
    )


def test_deleted_bytes_no_longer_satisfy_a_checksum_deploy(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    _put(http, emulator, "gone.bin", DATA)
    http.request("DELETE", f"{emulator.url}/ml-local/gone.bin", headers=TOKEN)
    headers = {
        **TOKEN,
        "X-Checksum-Deploy": "true",
        "X-Checksum-Sha256": hashlib.sha256(DATA).hexdigest(),
    }
    assert http.request("PUT", f"{emulator.url}/ml-local/again.bin", headers=headers).status == 404


def test_get_on_a_folder_lists_it_in_html(emulator: Emulator, http: urllib3.PoolManager) -> None:
    _put(http, emulator, "folder/x.bin", b"x")
    response = http.request("GET", f"{emulator.url}/ml-local/folder/", headers=TOKEN)
    assert response.status == 200
    assert b'href="x.bin"' in response.data


def test_ping_and_version(emulator: Emulator, http: urllib3.PoolManager) -> None:
    ping = http.request("GET", f"{emulator.url}/api/system/ping")
    assert (ping.status, ping.data) == (200, b"OK")
    version = http.request("GET", f"{emulator.url}/api/system/version", headers=TOKEN)
    assert version.json()["version"] == "7.104.0"


def test_repositories_api_creates_and_deletes_in_plain_text(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    body = b'{"rclass": "local", "packageType": "machinelearning"}'
    url = f"{emulator.url}/api/repositories/ml-new"
    created = http.request(
        "PUT", url, body=body, headers={**TOKEN, "Content-Type": "application/json"}
    )
    assert created.status == 200
    assert created.headers["Content-Type"] == "text/plain"
    assert _put(http, emulator, "x", b"").status == 201
    assert (
        http.request("PUT", f"{emulator.url}/ml-new/a.bin", body=b"a", headers=TOKEN).status == 201
    )
    again = http.request("PUT", url, body=body, headers=TOKEN)
    assert again.status == 400
    assert b"already exists" in again.data
    assert http.request("DELETE", url, headers=TOKEN).status == 200
    assert http.request("GET", f"{emulator.url}/ml-new/a.bin", headers=TOKEN).status == 404


def test_concurrent_deploys_and_deletes_of_the_same_bytes(emulator: Emulator) -> None:
    """Content-addressed blobs shared by many paths survive racing adopt/release."""
    pool = urllib3.HTTPConnectionPool("127.0.0.1", emulator.port, maxsize=8, retries=False)

    def work(worker: int) -> list[int]:
        statuses = []
        for i in range(15):
            path = f"/artifactory/ml-local/w{worker}/{i}.bin"
            statuses.append(pool.request("PUT", path, body=DATA, headers=TOKEN).status)
            if i % 3 == 0:
                statuses.append(pool.request("DELETE", path, headers=TOKEN).status)
        return statuses

    with ThreadPoolExecutor(max_workers=8) as executor:
        results = [s for batch in executor.map(work, range(8)) for s in batch]
    assert set(results) == {201, 204}
    kept = emulator.paths("ml-local")
    assert len(kept) == 8 * 10
    assert all(emulator.read_bytes("ml-local", p) == DATA for p in kept)
    pool.close()
