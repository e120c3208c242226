"""`frogml login` against the emulator: token, Basic and anonymous; whoami; logout."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import (
    EMULATOR_PASSWORD,
    EMULATOR_TOKEN,
    EMULATOR_USER,
    READ_ONLY_PASSWORD,
    READ_ONLY_USER,
)
from frogml.adapters.artifactory.probe import ArtifactoryProbe
from frogml.domain.ports.credentials import Credentials
from tests.integration._login_harness import LoginCli


@pytest.fixture
def frogml() -> LoginCli:
    return LoginCli()


@pytest.fixture
def anonymous_emulator() -> Iterator[Emulator]:
    with Emulator(anonymous="read", repos=("ml-local",)) as emu:
        yield emu


def _saved(home: Path) -> list[dict[str, object]]:
    servers: list[dict[str, object]] = json.loads((home / ".frogml" / "config.json").read_text())[
        "servers"
    ]
    return servers


def test_token_login_saves_the_token_privately(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    result = frogml("login", "--url", emulator.url, "--token", EMULATOR_TOKEN)
    assert result.exit_code == 0, result.output
    assert f"Logged in to {emulator.url} as token" in result.stdout
    assert EMULATOR_TOKEN not in result.output
    [server] = _saved(isolated_home)
    assert server["access_token"] == EMULATOR_TOKEN
    assert server["artifactory_url"] == emulator.url
    config = isolated_home / ".frogml" / "config.json"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700


def test_basic_login_exchanges_the_password_for_a_working_token(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    result = frogml(
        "login",
        "--url",
        emulator.base_url,
        "--username",
        EMULATOR_USER,
        input=f"{EMULATOR_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert f"Logged in to {emulator.url} as {EMULATOR_USER}" in result.stdout
    assert EMULATOR_PASSWORD not in result.output
    [server] = _saved(isolated_home)
    assert "password" not in server
    token = server["access_token"]
    assert isinstance(token, str)
    probe = ArtifactoryProbe(env={}, timeout=5.0)
    assert probe.check(Credentials(url=emulator.url, access_token=token)) == "token"


def test_basic_login_keeps_the_password_when_the_server_refuses_tokens(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    emulator.faults.fail("POST", "/access/api/v1/tokens", status=403)
    result = frogml(
        "login",
        "--url",
        emulator.url,
        "--username",
        READ_ONLY_USER,
        "--password",
        READ_ONLY_PASSWORD,
    )
    assert result.exit_code == 0, result.output
    assert f"as {READ_ONLY_USER}" in result.stdout
    [server] = _saved(isolated_home)
    assert (server["user"], server["password"]) == (READ_ONLY_USER, READ_ONLY_PASSWORD)


def test_anonymous_login_where_the_server_allows_it(
    frogml: LoginCli, anonymous_emulator: Emulator, isolated_home: Path
) -> None:
    result = frogml("login", "--url", anonymous_emulator.url, "--anonymous")
    assert result.exit_code == 0, result.output
    assert f"Logged in to {anonymous_emulator.url} as anonymous" in result.stdout
    [server] = _saved(isolated_home)
    assert set(server) == {"server_id", "artifactory_url", "is_default"}


def test_token_from_stdin(frogml: LoginCli, emulator: Emulator) -> None:
    result = frogml("login", "--url", emulator.url, "--token-stdin", input=EMULATOR_TOKEN + "\n")
    assert result.exit_code == 0, result.output


def test_whoami_follows_the_precedence_after_login(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "embedded local store" in frogml("whoami").stdout
    frogml("login", "--url", emulator.url, "--token", EMULATOR_TOKEN)
    shown = frogml("whoami").stdout
    assert f"Source: config file {isolated_home / '.frogml' / 'config.json'}" in shown
    assert "Token:  ****" in shown
    monkeypatch.setenv("JF_URL", "https://env.example")
    monkeypatch.setenv("JF_ACCESS_TOKEN", "env-token-0123456789")
    shown = frogml("whoami").stdout
    assert "Source: environment" in shown
    assert "env…89" in shown
    assert "env-token-0123456789" not in shown


def test_logout_removes_the_stored_credentials(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    frogml("login", "--url", emulator.url, "--token", EMULATOR_TOKEN)
    result = frogml("logout")
    assert result.exit_code == 0, result.output
    assert f"Logged out of {emulator.url}" in result.stdout
    assert not (isolated_home / ".frogml" / "config.json").exists()
    assert "embedded local store" in frogml("whoami").stdout


def test_bare_login_revalidates_the_saved_server(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    frogml("login", "--url", emulator.url, "--token", EMULATOR_TOKEN, "--server-id", "emu")
    result = frogml("login")
    assert result.exit_code == 0, result.output
    assert f"Using server 'emu' from {isolated_home / '.frogml' / 'config.json'}" in result.stdout
    assert f"Logged in to {emulator.url}" in result.stdout


def _jfrog_cli_config(home: Path, servers: list[dict[str, object]]) -> Path:
    path = home / ".jfrog" / "jfrog-cli.conf.v6"
    path.parent.mkdir()
    path.write_text(json.dumps({"servers": servers, "version": "6"}))
    return path


def test_bare_login_reuses_jfrog_cli_default_server(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    path = _jfrog_cli_config(
        isolated_home,
        [
            {"serverId": "other", "url": "http://127.0.0.1:1/", "accessToken": "x"},
            {
                "serverId": "emu",
                "url": emulator.base_url + "/",
                "artifactoryUrl": emulator.url + "/",
                "user": EMULATOR_USER,
                "password": EMULATOR_PASSWORD,
                "isDefault": True,
                "xrayUrl": emulator.base_url + "/xray/",
            },
        ],
    )
    result = frogml("login")
    assert result.exit_code == 0, result.output
    assert f"Using server 'emu' from {path}" in result.stdout
    assert f"Logged in to {emulator.url} as {EMULATOR_USER}" in result.stdout
    [server] = _saved(isolated_home)
    assert server["server_id"] == "emu"
    assert "access_token" in server  # the password was exchanged


@pytest.mark.parametrize(
    ("answers", "identity"),
    [
        (["2", "{url}", "token", EMULATOR_TOKEN], "token"),
        (["2", "{url}", "password", EMULATOR_USER, EMULATOR_PASSWORD], EMULATOR_USER),
        (["2", "{url}", "", EMULATOR_USER, EMULATOR_PASSWORD], EMULATOR_USER),
    ],
    ids=["token", "basic", "basic-by-default"],
)
def test_interactive_login_to_a_new_server(
    frogml: LoginCli,
    emulator: Emulator,
    isolated_home: Path,
    answers: list[str],
    identity: str,
) -> None:
    _jfrog_cli_config(isolated_home, [{"serverId": "jf", "url": "https://jf.example/"}])
    typed = "\n".join(a.format(url=emulator.url) for a in answers) + "\n"
    result = frogml("login", "--interactive", input=typed)
    assert result.exit_code == 0, result.output
    assert "1) jf  https://jf.example/" in result.stdout
    assert "2) a new server" in result.stdout
    assert f"Logged in to {emulator.url} as {identity}" in result.stdout
    assert EMULATOR_TOKEN not in result.output
    assert EMULATOR_PASSWORD not in result.output


def test_interactive_login_anonymous_asks_again_after_invalid_answers(
    frogml: LoginCli, anonymous_emulator: Emulator
) -> None:
    typed = "\n".join(["ftp://nope", anonymous_emulator.url, "kerberos", "anonymous"]) + "\n"
    result = frogml("login", "-i", input=typed)
    assert result.exit_code == 0, result.output
    assert "'ftp://nope' is not a server URL" in result.output
    assert "'kerberos' is not one of" in result.output
    assert f"Logged in to {anonymous_emulator.url} as anonymous" in result.stdout


def test_interactive_login_chooses_a_jfrog_cli_server(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    _jfrog_cli_config(
        isolated_home,
        [
            {"serverId": "jf", "url": "https://jf.example/"},
            {"serverId": "emu", "artifactoryUrl": emulator.url, "accessToken": EMULATOR_TOKEN},
        ],
    )
    result = frogml("login", "--interactive", input="5\n2\n")
    assert result.exit_code == 0, result.output
    assert f"Logged in to {emulator.url} as token" in result.stdout
    assert [s["server_id"] for s in _saved(isolated_home)] == ["emu"]


def test_server_names_from_a_jfrog_cli_config_reach_the_terminal_only_escaped(
    frogml: LoginCli, emulator: Emulator, isolated_home: Path
) -> None:
    hostile = "\x1b[2J\x1b]0;pwned\x07\u202eemu"
    _jfrog_cli_config(
        isolated_home,
        [
            {"serverId": "jf" + hostile, "url": "https://jf.example/", "user": hostile},
            {"serverId": hostile, "artifactoryUrl": emulator.url, "accessToken": EMULATOR_TOKEN},
        ],
    )
    result = frogml("login", "--interactive", input="2\n")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert "\u202e" not in result.output
    assert "\\x1b[2J\\x1b]0;pwned\\x07\\u202eemu" in result.output  # readable, not obeyed
    assert [s["server_id"] for s in _saved(isolated_home)] == [hostile]  # kept exactly
    gone = frogml("logout")
    assert gone.exit_code == 0, gone.output
    assert "\x1b" not in gone.output
    assert "Logged out of" in gone.output
