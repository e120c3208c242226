"""Open files follow the transfer's threads, never the number of files.

A process limited to 64 open files (``ulimit -n 64``, in a child process: the limit is
the frogml side's) round-trips a 2,000-file model on the embedded store and through
the emulator (served by this process, which is not limited); a limit below what the
configured threads need fails at once, with a message naming it.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from frogml import FrogMLStorage
from frogml.errors import NotFoundError
from tests.integration.helpers import MODEL_FORMAT, files_under, write_tree

if TYPE_CHECKING:
    from emulator import Emulator

pytest.importorskip("resource", reason="open-file limits are POSIX")

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 64
FILES = 2_000


def _many_files() -> dict[str, bytes]:
    draw = random.Random(15)
    return {f"d{i // 100:02d}/f{i:04d}.bin": draw.randbytes(512) for i in range(FILES)}


def _limited(
    steps: list[list[str]], env: dict[str, str], *, limit: int = LIMIT
) -> dict[str, str | None]:
    """Run ``steps`` in a child process limited to ``limit`` open files; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.integration._limited_child", str(limit), json.dumps(steps)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer: dict[str, str | None] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def _round_trip(tmp_path: Path, repository: str, env: dict[str, str]) -> None:
    files = _many_files()
    source, target = write_tree(tmp_path / "source", files), tmp_path / "target"
    steps = [
        ["upload", repository, "many", "1", str(source)],
        ["download", repository, "many", "1", str(target)],
    ]
    assert _limited(steps, env) == {"error": None}
    assert files_under(target) == files


def test_a_2000_file_model_round_trips_on_the_embedded_store_under_64_open_files(
    tmp_path: Path,
) -> None:
    _round_trip(tmp_path, "repo", {"FROGML_STORE_DIR": str(tmp_path / "store")})


def _server(emulator: Emulator, home: Path) -> dict[str, str]:
    return {
        "JF_URL": emulator.url,
        "JF_ACCESS_TOKEN": "test-token",
        "FROGML_CACHE_DIR": str(home / "cache"),
    }


def test_a_2000_file_model_round_trips_through_artifactory_under_64_open_files(
    emulator: Emulator, tmp_path: Path
) -> None:
    _round_trip(tmp_path, "ml-local", _server(emulator, tmp_path))


@pytest.mark.parametrize("op", ["upload", "download"])
def test_more_threads_than_the_open_file_limit_allows_fail_at_once_naming_the_limit(
    op: str, emulator: Emulator, tmp_path: Path
) -> None:
    source = write_tree(tmp_path / "source", dict(list(_many_files().items())[:40]))
    env = _server(emulator, tmp_path)
    if op == "download":  # published by this process, which has no such limit
        FrogMLStorage(env={**os.environ, **env}).upload_model_version(
            "ml-local", "few", str(source), MODEL_FORMAT, version="1"
        )
    path = str(source if op == "upload" else tmp_path / "target")
    answer = _limited([[op, "ml-local", "few", "1", path]], {**env, "JFML_THREAD_COUNT": "32"})
    assert answer["error"] == "ConfigurationError"
    message = str(answer["message"])
    assert f"the open-file limit of this process is {LIMIT} (ulimit -n)" in message
    assert "fewer threads" in message
    assert files_under(tmp_path / "target") == {}  # stopped before a file was written


@pytest.mark.parametrize("op", ["upload", "download"])
def test_the_embedded_store_below_the_open_files_it_needs_fails_at_once_naming_the_limit(
    op: str, tmp_path: Path
) -> None:
    tiny = 12  # the interpreter runs; one copy at a time (source, blob, folder) does not fit
    source = write_tree(tmp_path / "source", dict(list(_many_files().items())[:40]))
    env = {"FROGML_STORE_DIR": str(tmp_path / "store")}
    if op == "download":  # published by this process, which has no such limit
        FrogMLStorage(env={**os.environ, **env}).upload_model_version(
            "repo", "few", str(source), MODEL_FORMAT, version="1"
        )
    path = str(source if op == "upload" else tmp_path / "target")
    answer = _limited([[op, "repo", "few", "1", path]], env, limit=tiny)
    assert answer["error"] == "ConfigurationError"
    message = str(answer["message"])
    assert f"the open-file limit of this process is {tiny} (ulimit -n)" in message
    assert "raise it" in message
    assert files_under(tmp_path / "target") == {}  # stopped before a file was written
    if op == "upload":  # nothing published
        with pytest.raises(NotFoundError):
            FrogMLStorage(env={**os.environ, **env}).list_versions("model", "repo", "few")
