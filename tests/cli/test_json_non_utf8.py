"""``--json`` stays valid JSON when a path is not valid UTF-8 (a Linux path may hold any
bytes): the bytes that are not UTF-8 are shown as ``\\xff`` escapes, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke

pytestmark = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="needs a file system taking any bytes"
)


def _publish(invoke: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("hi")
    assert invoke("dataset", "upload", "r", "d2", str(source), "-v", "1").exit_code == 0


def test_download_into_a_folder_whose_name_is_not_utf8_prints_json(
    invoke: Invoke, tmp_path: Path
) -> None:
    _publish(invoke, tmp_path)
    target = os.fsdecode(os.fsencode(str(tmp_path)) + b"/out\xff")

    done = invoke("dataset", "download", "r", "d2", "1", target, "--json")
    again = invoke("dataset", "download", "r", "d2", "1", target, "--json")  # reused
    dry = invoke("dataset", "download", "r", "d2", "1", target, "--json", "--dry-run")

    for result in (done, again, dry):
        assert result.exit_code == 0, result.stderr
        document = json.loads(result.stdout)
        assert document["target_path"] == f"{tmp_path}/out\\xff"
    assert json.loads(done.stdout)["files"] == ["a.txt"]
    assert Path(target, "a.txt").read_text() == "hi"


def test_a_store_folder_whose_name_is_not_utf8_prints_json(tmp_path: Path) -> None:
    store = os.fsencode(str(tmp_path)) + b"/store\xff"
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("hi")
    env = {**os.environ, "FROGML_STORE_DIR": os.fsdecode(store), "HOME": str(tmp_path)}
    env.pop("JF_URL", None)
    env.pop("JF_ACCESS_TOKEN", None)
    frogml = [sys.executable, "-m", "frogml"]

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([*frogml, *args], env=env, capture_output=True, check=False)

    up = run("dataset", "upload", "r", "d2", str(source), "-v", "1", "--json")
    listed = run("dataset", "versions", "r", "d2", "--json")

    for result in (up, listed):
        assert result.returncode == 0, result.stderr
        assert b"Traceback" not in result.stderr
    assert json.loads(up.stdout)["fallback_store"] == f"{tmp_path}/store\\xff"
    assert json.loads(listed.stdout)[0]["version"] == "1"
