"""The installed `frogml` command, run as a user runs it, in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _frogml() -> str:
    found = shutil.which("frogml", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("the frogml console script is not installed beside this Python")
    return found


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_frogml(), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_installed_cli_round_trips_a_model_on_the_embedded_store(
    tmp_path: Path, isolated_home: Path
) -> None:
    env = {**os.environ, "HOME": str(isolated_home)}
    source = tmp_path / "model"
    source.mkdir()
    (source / "model.pkl").write_bytes(os.urandom(50_000))
    uploaded = _run(
        "model",
        "upload",
        "ml-local",
        "e2e",
        str(source),
        "--framework",
        "sklearn",
        "--framework-version",
        "1.5",
        "--format",
        "pkl",
        "--json",
        env=env,
    )
    assert uploaded.returncode == 0, uploaded.stderr
    version = json.loads(uploaded.stdout)["version"]
    assert uploaded.stderr == ""  # --json: the document says it instead
    assert json.loads(uploaded.stdout)["fallback_store"] == str(isolated_home / ".frogml/store")
    out = tmp_path / "out"
    downloaded = _run("model", "download", "ml-local", "e2e", version, str(out), env=env)
    assert downloaded.returncode == 0, downloaded.stderr
    assert downloaded.stderr.startswith("No server configured: using the local store at ")
    assert (out / "model.pkl").read_bytes() == (source / "model.pkl").read_bytes()
    assert (isolated_home / ".frogml" / "store").is_dir()


def test_installed_cli_reports_a_user_mistake_without_a_traceback(
    tmp_path: Path, isolated_home: Path
) -> None:
    env = {**os.environ, "HOME": str(isolated_home)}
    result = _run("dataset", "download", "ml-local", "nothing", "1", str(tmp_path), env=env)
    assert result.returncode == 4
    assert "Traceback" not in result.stderr
    assert "Error:" in result.stderr


def test_a_password_asked_off_a_terminal_warns_in_one_line(isolated_home: Path) -> None:
    from tests.integration._login_harness import closed_port_url

    url = closed_port_url()
    done = subprocess.run(
        [_frogml(), "login", "--url", url, "-u", "alice"],
        input="s3cret-pw\n",
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(isolated_home)},
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "GetPassWarning" not in done.stderr  # Python's warning and its source line
    assert "getpass.py" not in done.stderr
    assert "Password input may be echoed" in done.stderr
    assert f"Error: cannot reach {url}: " in done.stderr
    assert "s3cret-pw" not in done.stdout + done.stderr
