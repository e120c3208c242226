"""Tokens, Basic users, Basic with a token, anonymous modes, read-only users."""

from __future__ import annotations

import pytest
import urllib3

from emulator import Anonymous, Emulator

from .conftest import TOKEN, basic

CHALLENGE = 'Basic realm="Artifactory Realm"'


def _deploy(
    http: urllib3.PoolManager, emu: Emulator, headers: dict[str, str]
) -> urllib3.BaseHTTPResponse:
    return http.request("PUT", f"{emu.url}/ml-local/a.bin", body=b"data", headers=headers)


@pytest.mark.parametrize(
    "headers",
    [TOKEN, basic("alice", "alice-pw"), basic("alice", "test-token")],
    ids=["bearer", "basic-password", "basic-token"],
)
def test_valid_credentials_may_deploy(
    emulator: Emulator, http: urllib3.PoolManager, headers: dict[str, str]
) -> None:
    assert _deploy(http, emulator, headers).status == 201


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        basic("alice", "wrong"),
        basic("mallory", "alice-pw"),
        {"Authorization": "Basic !!"},
    ],
    ids=["none", "bad-token", "bad-password", "unknown-user", "garbage"],
)
def test_missing_or_bad_credentials_are_401_with_a_challenge(
    emulator: Emulator, http: urllib3.PoolManager, headers: dict[str, str]
) -> None:
    response = http.request("GET", f"{emulator.url}/api/system/version", headers=headers)
    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == CHALLENGE
    assert response.json()["errors"][0]["status"] == 401


def test_ping_never_checks_credentials(emulator: Emulator, http: urllib3.PoolManager) -> None:
    response = http.request(
        "GET", f"{emulator.url}/api/system/ping", headers={"Authorization": "Bearer wrong"}
    )
    assert (response.status, response.data) == (200, b"OK")


def test_a_read_only_user_reads_but_gets_403_on_write(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    _deploy(http, emulator, TOKEN)
    bob = basic("bob", "bob-pw")
    assert http.request("GET", f"{emulator.url}/ml-local/a.bin", headers=bob).data == b"data"
    response = _deploy(http, emulator, bob)
    assert response.status == 403
    assert response.json()["errors"][0]["status"] == 403
    assert http.request("DELETE", f"{emulator.url}/ml-local/a.bin", headers=bob).status == 403


@pytest.mark.parametrize(
    ("mode", "read", "write"), [("off", 401, 401), ("read", 200, 401), ("write", 200, 201)]
)
def test_anonymous_modes(http: urllib3.PoolManager, mode: Anonymous, read: int, write: int) -> None:
    with Emulator(tokens={"t"}, anonymous=mode) as emu:
        emu.put_bytes("ml-local", "seed.bin", b"seed")
        get = http.request("GET", f"{emu.url}/ml-local/seed.bin")
        put = _deploy(http, emu, {})
        assert (get.status, put.status) == (read, write)
        if put.status == 401:
            assert put.headers["WWW-Authenticate"] == CHALLENGE


def test_bad_credentials_are_401_even_when_anonymous_may_read(http: urllib3.PoolManager) -> None:
    with Emulator(anonymous="read") as emu:
        response = http.request(
            "GET", f"{emu.url}/api/system/version", headers={"Authorization": "Bearer nope"}
        )
        assert response.status == 401


def test_the_file_list_needs_an_authenticated_user(http: urllib3.PoolManager) -> None:
    with Emulator(tokens={"t"}, anonymous="read") as emu:
        url = f"{emu.url}/api/storage/ml-local/?list&deep=1"
        assert http.request("GET", url).status == 401
        assert http.request("GET", url, headers={"Authorization": "Bearer t"}).status == 200


def test_access_issues_a_token_for_a_basic_user(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    response = http.request(
        "POST",
        f"{emulator.base_url}/access/api/v1/tokens",
        body=b'{"scope": "applied-permissions/user", "expires_in": 3600, "description": "ci"}',
        headers={**basic("alice", "alice-pw"), "Content-Type": "application/json"},
    )
    assert response.status == 200
    answer = response.json()
    assert answer["token_type"] == "Bearer"
    assert answer["scope"] == "applied-permissions/user"
    assert answer["expires_in"] == 3600
    assert answer["token_id"]
    created = _deploy(http, emulator, {"Authorization": f"Bearer {answer['access_token']}"})
    assert created.status == 201
    assert created.json()["createdBy"] == "alice"


def test_a_read_only_users_token_cannot_write(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    response = http.request(
        "POST", f"{emulator.base_url}/access/api/v1/tokens", headers=basic("bob", "bob-pw")
    )
    token = response.json()["access_token"]
    assert _deploy(http, emulator, {"Authorization": f"Bearer {token}"}).status == 403


def test_an_anonymous_caller_gets_no_token(emulator: Emulator, http: urllib3.PoolManager) -> None:
    assert http.request("POST", f"{emulator.base_url}/access/api/v1/tokens").status == 401
