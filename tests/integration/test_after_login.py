"""After `frogml login`, the library and the CLI need no credential options."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from emulator import Emulator
from frogml import FrogMLStorage
from frogml.root.cli import build
from tests.integration.helpers import files_under, write_tree

DATA = {"rows.csv": b"a,b\n1,2\n" * 3000}


@pytest.mark.parametrize(
    "login_args",
    [
        ["--token", "test-token"],
        ["--username", "alice", "--password", "alice-pw"],
    ],
    ids=["token", "basic"],
)
def test_after_login_storage_and_cli_work_without_credentials(
    emulator: Emulator, tmp_path: Path, isolated_home: Path, login_args: list[str]
) -> None:
    runner, cli = CliRunner(), build()
    logged_in = runner.invoke(cli, ["login", "--url", emulator.base_url, *login_args])
    assert logged_in.exit_code == 0, logged_in.stderr
    who = "alice" if "--username" in login_args else "token"
    assert f"Logged in to {emulator.url} as {who}" in logged_in.stdout
    config = isolated_home / ".frogml" / "config.json"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert "alice-pw" not in logged_in.stdout + logged_in.stderr

    source = write_tree(tmp_path / "data", DATA)
    storage = FrogMLStorage()
    assert storage.location == emulator.url
    storage.upload_dataset_version("ml-local", "after-login", str(source), version="1")

    model = write_tree(tmp_path / "model", {"m.bin": b"\x01" * 20_000})
    uploaded = runner.invoke(
        cli,
        [
            "model",
            "upload",
            "ml-local",
            "after-login",
            str(model),
            "--framework",
            "x",
            "--framework-version",
            "1",
            "--format",
            "bin",
            "-v",
            "1",
            "--json",
        ],
    )
    assert uploaded.exit_code == 0, uploaded.stderr
    assert json.loads(uploaded.stdout)["version"] == "1"
    storage.download_dataset_version("ml-local", "after-login", "1", str(tmp_path / "out"))
    assert files_under(tmp_path / "out") == DATA


def test_a_wrong_token_exits_non_zero_names_the_problem_and_saves_nothing(
    emulator: Emulator, isolated_home: Path
) -> None:
    result = CliRunner().invoke(build(), ["login", "--url", emulator.url, "--token", "nope"])
    assert result.exit_code == 3
    assert len(result.stderr.strip().splitlines()) == 1
    assert "nope" not in result.stderr
    assert not (isolated_home / ".frogml" / "config.json").exists()
