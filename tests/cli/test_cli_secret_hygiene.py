"""Secrets where others can see them: a config file readable by the group or by others
is used with a warning, and a token or password typed on the command line (visible in
`ps` and kept in the shell history) gets a hint towards --token-stdin or the prompt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_PASSWORD, EMULATOR_TOKEN, EMULATOR_USER
from frogml.adapters.credentials import _atomic
from tests.cli.conftest import Invoke


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_atomic, "_warned", set())  # once per process: here, per test


def _config(home: Path, url: str, mode: int) -> Path:
    path = home / ".frogml" / "config.json"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    server = {"artifactory_url": url, "access_token": EMULATOR_TOKEN, "server_id": "main"}
    path.write_text(json.dumps({"servers": [server]}))
    path.chmod(mode)
    return path


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_config_file_others_may_read_is_used_with_a_warning(
    invoke: Invoke, isolated_home: Path, emulator: Emulator, mode: int
) -> None:
    path = _config(isolated_home, emulator.url, mode)
    result = invoke("whoami")
    assert result.exit_code == 0
    assert "Source: config file" in result.stdout  # still used
    assert "config_file_readable_by_others" in result.stderr
    assert f"chmod 600 {path}" in result.stderr
    assert result.stderr.count("config_file_readable_by_others") == 1


def test_a_private_config_file_gives_no_warning(
    invoke: Invoke, isolated_home: Path, emulator: Emulator
) -> None:
    _config(isolated_home, emulator.url, 0o600)
    result = invoke("whoami")
    assert "readable_by_others" not in result.stderr


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["--token", EMULATOR_TOKEN], "--token-stdin"),
        (["-u", EMULATOR_USER, "--password", EMULATOR_PASSWORD], "asked for it without echo"),
    ],
)
def test_a_secret_on_the_command_line_gets_a_hint(
    invoke: Invoke, emulator: Emulator, args: list[str], hint: str
) -> None:
    result = invoke("login", "--url", emulator.url, *args)
    assert result.exit_code == 0, result.stderr
    (warning,) = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert "(ps)" in warning
    assert "shell history" in warning
    assert hint in warning


def test_a_token_from_stdin_gets_no_hint(invoke: Invoke, emulator: Emulator) -> None:
    result = invoke("login", "--url", emulator.url, "--token-stdin", input=EMULATOR_TOKEN)
    assert result.exit_code == 0, result.stderr
    assert "Warning:" not in result.stderr
