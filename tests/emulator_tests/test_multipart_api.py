"""The emulator's multipart upload API (protocol page 4b; shapes of jfrog-client-go)."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote

import msgspec
import pytest
import urllib3

from emulator import Emulator
from tests.emulator_tests.conftest import TOKEN

_MIB = 1 << 20
PATH = "models/m/tmp/1/123/model/big.bin"


def _api(emu: Emulator, name: str, query: str = "") -> str:
    return f"{emu.url}/api/v1/uploads/{name}" + (f"?{query}" if query else "")


def _json(response: urllib3.BaseHTTPResponse) -> dict[str, object]:
    value = msgspec.json.decode(response.data)
    assert isinstance(value, dict)
    return value


def _create(http: urllib3.PoolManager, emu: Emulator, part_mb: int = 1) -> dict[str, str]:
    query = f"repoKey=ml-local&repoPath={quote(PATH)}&partSizeMB={part_mb}"
    answer = http.request("POST", _api(emu, "create", query), headers=TOKEN)
    assert answer.status == 200, answer.data
    token = _json(answer)["token"]
    assert isinstance(token, str)
    return {"Authorization": f"Bearer {token}"}


def _url(http: urllib3.PoolManager, emu: Emulator, auth: dict[str, str], number: int) -> str:
    answer = http.request("POST", _api(emu, "urlPart", f"partNumber={number}"), headers=auth)
    assert answer.status == 200, answer.data
    url = _json(answer)["url"]
    assert isinstance(url, str)
    return url


def _put_parts(
    http: urllib3.PoolManager, emu: Emulator, auth: dict[str, str], data: bytes, skip: int = 0
) -> None:
    for number, offset in enumerate(range(0, len(data), _MIB), start=1):
        if number == skip:
            continue
        part = data[offset : offset + _MIB]
        answer = http.request("PUT", _url(http, emu, auth, number), body=part)
        assert answer.status == 200, answer.data
        assert answer.headers["ETag"] == f'"{hashlib.md5(part).hexdigest()}"'  # noqa: S324


def _complete(
    http: urllib3.PoolManager, emu: Emulator, auth: dict[str, str], sha1: str
) -> dict[str, object]:
    answer = http.request("POST", _api(emu, "complete", f"sha1={sha1}"), headers=auth)
    assert answer.status == 202, answer.data
    assert emu.uploads.wait_merges()
    status = http.request("POST", _api(emu, "status"), headers=auth)
    assert status.status == 200
    return _json(status)


def _deploy(
    http: urllib3.PoolManager, emu: Emulator, data: bytes, token: str, path: str = PATH
) -> urllib3.BaseHTTPResponse:
    headers = {
        **TOKEN,
        "X-Checksum-Deploy": "true",
        "X-Checksum-Sha256": hashlib.sha256(data).hexdigest(),
        "X-Checksum-Sha1": hashlib.sha1(data).hexdigest(),  # noqa: S324
        "X-Checksum-Deploy-Token": token,
    }
    return http.request("PUT", f"{emu.url}/ml-local/{path}", headers=headers)


DATA = bytes(range(256)) * (10 * 1024) + b"tail"  # 2.5 MiB and 4 bytes: 3 parts


def test_a_file_sent_in_parts_is_placed_by_a_checksum_deploy_with_the_token(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    config = http.request("GET", _api(emulator, "config"), headers=TOKEN)
    assert config.status == 200
    assert _json(config)["supported"] is True
    auth = _create(http, emulator)
    _put_parts(http, emulator, auth, DATA)
    status = _complete(http, emulator, auth, hashlib.sha1(DATA).hexdigest())  # noqa: S324
    assert status["status"] == "FINISHED"
    assert status["progress"] == 100
    token = status["checksumToken"]
    assert isinstance(token, str)
    assert emulator.paths("ml-local") == []  # nothing placed before the deploy
    deployed = _deploy(http, emulator, DATA, token)
    assert deployed.status == 201, deployed.data
    assert _json(deployed)["checksums"] == {
        "sha1": hashlib.sha1(DATA).hexdigest(),  # noqa: S324
        "md5": hashlib.md5(DATA).hexdigest(),  # noqa: S324
        "sha256": hashlib.sha256(DATA).hexdigest(),
    }
    assert emulator.read_bytes("ml-local", PATH) == DATA
    assert _deploy(http, emulator, DATA, token).status == 201  # a repeated deploy: same file
    assert emulator.uploads.pending() == 0
    assert emulator.uploads.parts_on_disk() == 0
    counts = emulator.counters.snapshot()
    assert counts.count("multipart_part", 200) == 3
    assert counts.count("multipart_deploy", 201) == 2


def test_off_it_answers_as_a_server_without_it(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    emulator.uploads.enabled = False
    for name, method in (("config", "GET"), ("create", "POST"), ("status", "POST")):
        assert http.request(method, _api(emulator, name), headers=TOKEN).status == 404
    assert http.request("PUT", f"{emulator.base_url}/objectstore/x/1", body=b"x").status == 404
    # The token header is ignored: an ordinary checksum deploy, of bytes it lacks.
    assert _deploy(http, emulator, DATA, "anything").status == 404


def test_a_missing_part_is_refused_at_complete(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    auth = _create(http, emulator)
    _put_parts(http, emulator, auth, DATA, skip=2)
    answer = http.request("POST", _api(emulator, "complete", "sha1=ab"), headers=auth)
    assert answer.status == 400
    assert b"missing part 2" in answer.data


def test_a_wrong_file_checksum_ends_the_merge_in_a_non_retryable_error(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    auth = _create(http, emulator)
    _put_parts(http, emulator, auth, DATA)
    status = _complete(http, emulator, auth, "0" * 40)
    assert status["status"] == "NON_RETRYABLE_ERROR"
    assert "Checksum mismatch" in str(status["error"])
    assert "checksumToken" not in status


def test_an_injected_merge_error_is_retryable_by_completing_again(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    emulator.uploads.merge_errors(1)
    auth = _create(http, emulator)
    _put_parts(http, emulator, auth, DATA)
    sha1 = hashlib.sha1(DATA).hexdigest()  # noqa: S324
    assert _complete(http, emulator, auth, sha1)["status"] == "RETRYABLE_ERROR"
    assert _complete(http, emulator, auth, sha1)["status"] == "FINISHED"


def test_a_part_whose_content_md5_differs_is_refused(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    auth = _create(http, emulator)
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()  # noqa: S324
    answer = http.request(
        "PUT", _url(http, emulator, auth, 1), body=b"part", headers={"Content-MD5": wrong}
    )
    assert answer.status == 400
    assert b"<Code>BadDigest</Code>" in answer.data
    assert emulator.uploads.parts_on_disk() == 0


def test_a_part_altered_in_transit_gets_another_etag(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    emulator.uploads.corrupt_parts(1)
    auth = _create(http, emulator)
    answer = http.request("PUT", _url(http, emulator, auth, 1), body=b"part")
    assert answer.status == 200
    assert answer.headers["ETag"] != f'"{hashlib.md5(b"part").hexdigest()}"'  # noqa: S324


def test_a_pre_signed_url_takes_no_authorization_and_expires(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    auth = _create(http, emulator)
    url = _url(http, emulator, auth, 1)
    with_auth = http.request("PUT", url, body=b"part", headers=TOKEN)
    assert with_auth.status == 400
    assert b"Only one auth mechanism" in with_auth.data
    forged = http.request("PUT", url.replace("partNumber", "x")[:-4] + "0000", body=b"part")
    assert forged.status == 403
    assert b"SignatureDoesNotMatch" in forged.data
    emulator.uploads.advance(emulator.uploads.url_ttl + 1)
    late = http.request("PUT", url, body=b"part")
    assert late.status == 403
    assert b"Request has expired" in late.data


def test_an_expired_upload_token_is_refused_and_its_parts_dropped(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    auth = _create(http, emulator)
    _put_parts(http, emulator, auth, DATA)
    assert emulator.uploads.parts_on_disk() == 3
    emulator.uploads.advance(emulator.uploads.token_ttl + 1)
    answer = http.request("POST", _api(emulator, "urlPart", "partNumber=1"), headers=auth)
    assert answer.status == 401
    assert b"expired" in answer.data
    assert emulator.uploads.parts_on_disk() == 0
    assert emulator.uploads.pending() == 0


def test_abort_drops_the_parts_and_refuses_more(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    auth = _create(http, emulator)
    url = _url(http, emulator, auth, 2)
    _put_parts(http, emulator, auth, DATA[:_MIB])
    assert http.request("POST", _api(emulator, "abort"), headers=auth).status == 204
    assert http.request("POST", _api(emulator, "abort"), headers=auth).status == 204
    assert emulator.uploads.parts_on_disk() == 0
    assert emulator.uploads.pending() == 0
    assert http.request("PUT", url, body=b"late").status == 404
    status = _json(http.request("POST", _api(emulator, "status"), headers=auth))
    assert status["status"] == "ABORTED"


def test_the_checksum_token_places_the_file_only_at_its_own_path(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    auth = _create(http, emulator)
    _put_parts(http, emulator, auth, DATA)
    status = _complete(http, emulator, auth, hashlib.sha1(DATA).hexdigest())  # noqa: S324
    token = str(status["checksumToken"])
    assert _deploy(http, emulator, DATA, token, path="elsewhere/big.bin").status == 400
    assert _deploy(http, emulator, DATA, "forged").status == 404
    assert _deploy(http, emulator, DATA, token).status == 201


def test_create_needs_write_permission_and_a_sane_part_size(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    base = f"repoKey=ml-local&repoPath={quote(PATH)}"
    assert http.request("POST", _api(emulator, "create", base + "&partSizeMB=1")).status == 401
    too_big = http.request(
        "POST", _api(emulator, "create", base + "&partSizeMB=99999"), headers=TOKEN
    )
    assert too_big.status == 400
    unknown = "repoKey=nope&repoPath=a&partSizeMB=1"
    assert http.request("POST", _api(emulator, "create", unknown), headers=TOKEN).status == 404
    assert http.request("POST", _api(emulator, "urlPart", "partNumber=1")).status == 401


def test_a_fault_rule_can_fail_a_part(emulator: Emulator, http: urllib3.PoolManager) -> None:
    auth = _create(http, emulator)
    emulator.faults.fail("PUT", r"^/objectstore/", status=503)
    url = _url(http, emulator, auth, 1)
    assert http.request("PUT", url, body=b"part").status == 503
    assert http.request("PUT", url, body=b"part").status == 200


@pytest.mark.parametrize("flag", [[], ["--no-multipart"]])
def test_the_command_line_switch(flag: list[str]) -> None:
    from emulator.__main__ import _parser

    assert _parser().parse_args(flag).multipart is (not flag)


def test_status_says_processing_until_the_merge_is_done(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    auth = _create(http, emulator)
    _put_parts(http, emulator, auth, DATA)
    emulator.uploads.hold_merges()
    sha1 = hashlib.sha1(DATA).hexdigest()  # noqa: S324
    assert (
        http.request("POST", _api(emulator, "complete", f"sha1={sha1}"), headers=auth).status == 202
    )
    held = _json(http.request("POST", _api(emulator, "status"), headers=auth))
    assert held["status"] == "PROCESSING"
    assert "checksumToken" not in held
    # A repeated complete (its answer lost, say) is accepted and changes nothing.
    assert (
        http.request("POST", _api(emulator, "complete", f"sha1={sha1}"), headers=auth).status == 202
    )
    emulator.uploads.release_merges()
    assert emulator.uploads.wait_merges()
    done = _json(http.request("POST", _api(emulator, "status"), headers=auth))
    assert done["status"] == "FINISHED"
    assert done["progress"] == 100


def test_a_part_sent_again_after_it_was_merged_is_merged_again(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    auth = _create(http, emulator)
    wrong = bytes(_MIB)
    http.request("PUT", _url(http, emulator, auth, 1), body=wrong)
    _put_parts(http, emulator, auth, DATA)  # part 1 again, with the right bytes
    status = _complete(http, emulator, auth, hashlib.sha1(DATA).hexdigest())  # noqa: S324
    assert status["status"] == "FINISHED"
    assert _deploy(http, emulator, DATA, str(status["checksumToken"])).status == 201
    assert emulator.read_bytes("ml-local", PATH) == DATA
