"""The CLI with ~/.frogml/config.json: JF_URL alone uses the login saved for that server;
a file a newer frogml wrote is read; a damaged one is explained and repaired by login."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from tests.cli.conftest import Invoke

SAVED_TOKEN = "saved-token-0123456789"


def _config(home: Path) -> Path:
    return home / ".frogml" / "config.json"


def _write(home: Path, document: object) -> Path:
    path = _config(home)
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return path


def _error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_whoami_shows_that_jf_url_alone_uses_the_login_saved_for_that_server(
    invoke: Invoke, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = {"server_id": "acme", "artifactory_url": "https://acme.jfrog.io/artifactory"}
    path = _write(isolated_home, {"servers": [{**server, "access_token": SAVED_TOKEN}]})
    monkeypatch.setenv("JF_URL", "https://ACME.jfrog.io/")
    shown = invoke("whoami").stdout.splitlines()
    assert shown == [
        f"Source: environment URL with the login saved as server 'acme' in config file {path}",
        "URL:    https://ACME.jfrog.io/",
        "User:   token",
        "Token:  sav…89",
    ]
    document = json.loads(invoke("whoami", "--json").stdout)
    assert (document["auth"], document["url"]) == ("token", "https://ACME.jfrog.io/")
    assert SAVED_TOKEN not in json.dumps(document)


def test_whoami_with_jf_url_alone_and_no_login_for_it_is_anonymous(
    invoke: Invoke, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = {"artifactory_url": "https://other.jfrog.io/artifactory", "access_token": "t"}
    _write(isolated_home, {"servers": [other]})
    monkeypatch.setenv("JF_URL", "https://acme.jfrog.io")
    document = json.loads(invoke("whoami", "--json").stdout)
    assert (document["source"], document["auth"]) == ("environment", "anonymous")


def test_jf_url_alone_reaches_the_server_with_the_saved_login(
    invoke: Invoke, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    login = invoke("login", "--url", emulator.url, "--token", EMULATOR_TOKEN)
    assert login.exit_code == 0, login.stderr
    monkeypatch.setenv("JF_URL", emulator.base_url + "/")  # the same server, written otherwise
    listed = invoke("model", "ls", "ml-local")
    assert listed.exit_code == 0, listed.stderr


def test_a_refusal_with_jf_url_alone_names_jf_url_and_not_the_unset_token(
    invoke: Invoke, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JF_URL", emulator.url)  # no login saved: anonymous, which is refused
    result = invoke("model", "ls", "ml-local")
    assert result.exit_code == 3
    line = _error_line(result.stderr)
    assert "JF_URL" in line
    assert "JF_ACCESS_TOKEN" not in line
    assert '`frogml login --url "$JF_URL"`' in line


def test_a_token_without_jf_url_is_one_clear_line(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JF_ACCESS_TOKEN", "secret-token-0123456789")
    result = invoke("whoami")
    assert result.exit_code == 5  # configuration
    line = _error_line(result.stderr)
    assert "JF_ACCESS_TOKEN is set but JF_URL is not, so the token's server is unknown" in line
    assert "secret-token-0123456789" not in result.output


def test_a_config_file_with_unknown_fields_works_for_every_command(
    invoke: Invoke, isolated_home: Path
) -> None:
    _write(isolated_home, {"servers": [], "extra": 1})
    assert invoke("whoami").exit_code == 0
    server = {"artifactory_url": "https://a.jfrog.io", "access_token": SAVED_TOKEN, "new": 2}
    _write(isolated_home, {"servers": [server], "extra": 1})
    result = invoke("whoami")
    assert result.exit_code == 0, result.stderr
    assert "URL:    https://a.jfrog.io" in result.stdout


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (
            {"servers": [{"artifactory_url": "https://a", "access_token": 1234}]},
            "is invalid: servers[0].access_token must be text",
        ),
        ("{not json", "is not valid JSON"),
    ],
)
def test_a_damaged_config_file_is_explained_in_plain_words(
    invoke: Invoke, isolated_home: Path, document: object, problem: str
) -> None:
    path = _write(isolated_home, document)
    result = invoke("whoami")
    assert result.exit_code == 5  # configuration
    line = _error_line(result.stderr)
    assert f"the frogml config file {path} {problem}" in line
    assert "run `frogml login` to repair it" in line
    assert "Expected" not in line


def test_login_repairs_a_damaged_file_keeping_its_readable_servers_and_a_copy(
    invoke: Invoke, emulator: Emulator, isolated_home: Path
) -> None:
    kept = {"server_id": "kept", "artifactory_url": "https://kept.jfrog.io", "new": [1]}
    broken = {"server_id": "broken", "artifactory_url": "https://b", "access_token": 1}
    path = _write(isolated_home, {"servers": [kept, broken], "extra": 1})
    damaged = path.read_bytes()
    result = invoke("login", "--url", emulator.url, "--token", EMULATOR_TOKEN)
    assert result.exit_code == 0, result.stderr
    copy = path.with_name("config.json.bak")
    assert f"Repaired {path}; the damaged file is kept as {copy}" in result.stdout
    assert copy.read_bytes() == damaged
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text())
    assert document["extra"] == 1
    assert [s["server_id"] for s in document["servers"]] == ["kept", "127.0.0.1-" + _port(emulator)]
    assert document["servers"][0]["new"] == [1]
    assert invoke("whoami").exit_code == 0


def test_login_repairs_a_file_that_is_not_json(
    invoke: Invoke, emulator: Emulator, isolated_home: Path
) -> None:
    path = _write(isolated_home, '{"servers": [')
    result = invoke("login", "--url", emulator.url, "--token", EMULATOR_TOKEN)
    assert result.exit_code == 0, result.stderr
    assert path.with_name("config.json.bak").read_text() == '{"servers": ['
    assert "Source: config file" in invoke("whoami").stdout


def _port(emulator: Emulator) -> str:
    return emulator.base_url.rsplit(":", 1)[1]
