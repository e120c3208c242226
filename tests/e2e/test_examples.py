"""The examples the README points to run as documented."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(script: str, home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), **extra}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_quick_start_round_trips_the_example_model_on_the_embedded_store(
    isolated_home: Path,
) -> None:
    done = _run("round_trip.py", isolated_home)
    assert done.returncode == 0, done.stderr
    assert f"embedded store at {isolated_home / '.frogml' / 'store'}" in done.stdout
    assert "model.json" in done.stdout
    assert "dependencies/requirements.txt" in done.stdout
    assert done.stderr == ""  # the library emits nothing unless the application logs


def test_the_quick_start_keeps_working_in_ci(isolated_home: Path) -> None:
    # CI=true changes what the CLI says, never what FrogMLStorage() does by default
    done = _run("round_trip.py", isolated_home, CI="true")
    assert done.returncode == 0, done.stderr
    assert f"embedded store at {isolated_home / '.frogml' / 'store'}" in done.stdout
    assert "every byte verified" in done.stdout
    assert done.stderr == ""


def test_the_embedding_example_runs_on_in_memory_adapters(isolated_home: Path) -> None:
    done = _run("embed_with_fakes.py", isolated_home)
    assert done.returncode == 0, done.stderr
    assert "deployed: b'\\x08\\x07onnx-bytes'" in done.stdout
    assert not (isolated_home / ".frogml").exists()
