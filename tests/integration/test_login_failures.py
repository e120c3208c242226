"""`frogml login` failures: each says why, exits non-zero and saves nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN, EMULATOR_USER
from frogml.adapters.artifactory.probe import ArtifactoryProbe
from frogml.domain.errors import (
    AuthenticationError,
    PermissionDeniedError,
    ProtocolError,
    TransientError,
)
from frogml.domain.ports.credentials import Credentials
from tests.integration._login_harness import LoginCli, closed_port_url, not_artifactory


@pytest.fixture
def frogml() -> LoginCli:
    return LoginCli()


def _config(home: Path) -> Path:
    return home / ".frogml" / "config.json"


def _assert_failed(result_code: int, stderr: str, expected_code: int, *words: str) -> None:
    assert result_code == expected_code, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: ")
    for word in words:
        assert word in lines[0]


def test_a_wrong_token_is_rejected(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    result = frogml("login", "--url", emulator.url, "--token", "wrong-token-123456")
    _assert_failed(result.exit_code, result.stderr, 3, "rejected the access token")
    assert "wrong-token-123456" not in result.output
    assert not _config(isolated_home).exists()


def test_a_wrong_password_is_rejected(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    result = frogml(
        "login", "--url", emulator.url, "--username", EMULATOR_USER, "--password", "nope-pw-987"
    )
    _assert_failed(result.exit_code, result.stderr, 3, f"rejected the password of {EMULATOR_USER}")
    assert "nope-pw-987" not in result.output
    assert not _config(isolated_home).exists()


def test_anonymous_where_the_server_requires_credentials(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    result = frogml("login", "--url", emulator.url, "--anonymous")
    _assert_failed(result.exit_code, result.stderr, 3, "does not allow anonymous access")
    assert not _config(isolated_home).exists()


def test_a_forbidden_answer_is_reported_as_such(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    emulator.faults.fail("GET", "/artifactory/api/system/version", status=403)
    result = frogml("login", "--url", emulator.url, "--token", EMULATOR_TOKEN)
    _assert_failed(result.exit_code, result.stderr, 3, "refused")
    assert not _config(isolated_home).exists()


def test_an_unreachable_url(frogml: LoginCli, isolated_home: Path) -> None:
    url = closed_port_url()
    result = frogml("login", "--url", url, "--token", EMULATOR_TOKEN)
    _assert_failed(result.exit_code, result.stderr, 1, "cannot reach", "connection refused")
    assert not _config(isolated_home).exists()


def test_a_url_that_is_not_artifactory(frogml: LoginCli, isolated_home: Path) -> None:
    with not_artifactory() as url:
        result = frogml("login", "--url", url, "--token", EMULATOR_TOKEN)
    _assert_failed(result.exit_code, result.stderr, 1, "does not look like an Artifactory server")
    assert not _config(isolated_home).exists()


def test_a_server_error_is_transient(emulator: Emulator) -> None:
    emulator.faults.fail("GET", "/artifactory/api/system/version", status=503)
    with pytest.raises(TransientError) as caught:
        ArtifactoryProbe(env={}, timeout=5.0).check(
            Credentials(url=emulator.url, access_token=EMULATOR_TOKEN)
        )
    assert caught.value.status == 503


@pytest.mark.parametrize(
    ("credentials", "error"),
    [
        (Credentials(url="http://127.0.0.1:1", access_token="t"), TransientError),
        (Credentials(url="{emu}", access_token="bad"), AuthenticationError),
        (Credentials(url="{emu}", user="alice", password="bad"), AuthenticationError),
    ],
)
def test_the_probe_raises_domain_errors(
    emulator: Emulator, credentials: Credentials, error: type[Exception]
) -> None:
    url = credentials.url.format(emu=emulator.url)
    with pytest.raises(error):
        ArtifactoryProbe(env={}, timeout=5.0).check(
            Credentials(
                url=url,
                user=credentials.user,
                password=credentials.password,
                access_token=credentials.access_token,
            )
        )


def test_the_probe_maps_403_to_permission_denied(emulator: Emulator) -> None:
    emulator.faults.fail("GET", "/artifactory/api/system/version", status=403)
    with pytest.raises(PermissionDeniedError):
        ArtifactoryProbe(env={}, timeout=5.0).check(
            Credentials(url=emulator.url, access_token=EMULATOR_TOKEN)
        )


def test_the_probe_refuses_a_non_artifactory_server() -> None:
    with not_artifactory() as url, pytest.raises(ProtocolError):
        ArtifactoryProbe(env={}, timeout=5.0).check(Credentials(url=url))


def test_a_corrupt_config_file_is_named_and_kept_until_a_login_succeeds(
    frogml: LoginCli, isolated_home: Path
) -> None:
    config = _config(isolated_home)
    config.parent.mkdir()
    config.write_text('{"servers": [')
    for args in (["whoami"], ["logout"]):
        result = frogml(*args)
        _assert_failed(result.exit_code, result.stderr, 5, str(config), "not valid JSON")
        assert "run `frogml login` to repair it" in result.stderr
    result = frogml("login")  # passes over the file, then asks: no answer, no login
    assert result.exit_code != 0
    assert f"Warning: the frogml config file {config} is not valid JSON" in result.stderr
    assert config.read_text() == '{"servers": ['


def test_an_unknown_key_in_the_config_file_is_ignored_and_a_wrong_type_named(
    frogml: LoginCli, isolated_home: Path
) -> None:
    config = _config(isolated_home)
    config.parent.mkdir()
    config.write_text(json.dumps({"servers": [{"artifactory_url": "https://a", "tokn": "x"}]}))
    assert frogml("whoami").exit_code == 0
    config.write_text(json.dumps({"servers": [{"artifactory_url": "https://a", "user": 5}]}))
    result = frogml("whoami")
    _assert_failed(
        result.exit_code, result.stderr, 5, str(config), "is invalid: servers[0].user must be text"
    )


def test_an_encrypted_jfrog_cli_config_is_named_with_what_to_do(
    frogml: LoginCli, isolated_home: Path
) -> None:
    path = isolated_home / ".jfrog" / "jfrog-cli.conf.v6"
    path.parent.mkdir()
    path.write_text(json.dumps({"servers": [{"serverId": "a", "password": "x"}], "enc": True}))
    result = frogml("login")
    _assert_failed(result.exit_code, result.stderr, 5, str(path), "encrypted", "--token")


def test_a_token_without_url_in_the_environment_is_named(
    frogml: LoginCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JF_ACCESS_TOKEN", "tok")
    result = frogml("whoami")
    _assert_failed(result.exit_code, result.stderr, 5, "JF_ACCESS_TOKEN", "JF_URL")
