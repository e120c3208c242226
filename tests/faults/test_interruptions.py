"""Interrupted transfers: Ctrl-C and a killed process resume, a failed upload resends little.

The `frogml` command runs in a subprocess against the in-process emulator; a stall in
the middle of the file's answer holds the download while the test interrupts it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from emulator import Emulator
from frogml import AuthConfig, FrogMLStorage, UploadDatasetRequest
from frogml.domain.errors import TransientError
from tests.faults._checks import PARTIAL_SUFFIX
from tests.faults._run import Runner
from tests.integration.helpers import files_under, write_tree

BIG = os.urandom(6 * 1024 * 1024)
STALL_AFTER = 4 * 1024 * 1024  # a multiple of the client's read block
RESUME_HINT = "run the same command again to resume"


def _frogml() -> str:
    found = shutil.which("frogml", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("the frogml console script is not installed beside this Python")
    return found


def _storage(emulator: Emulator) -> FrogMLStorage:
    return FrogMLStorage(AuthConfig.by_access_token(emulator.url, "test-token"))


def _publish(emulator: Emulator, tmp_path: Path, files: dict[str, bytes]) -> None:
    source = write_tree(tmp_path / "src", files)
    _storage(emulator).upload_dataset_version("ml-local", "data", str(source), version="1")


def _env(emulator: Emulator, home: Path) -> dict[str, str]:
    # A long read timeout: only the interruption can end the stalled first run quickly.
    return {
        **os.environ,
        "HOME": str(home),
        "JF_URL": emulator.url,
        "JF_ACCESS_TOKEN": "test-token",
        "JFML_TIMEOUT": "60",
    }


def _download(out: Path, env: dict[str, str]) -> list[str]:
    return [_frogml(), "dataset", "download", "ml-local", "data", "1", str(out)]


def _wait_until(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    """Poll a condition the emulator cannot signal (bytes reaching the client's disk)."""
    deadline = time.monotonic() + 30
    while not condition():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            _, err = process.communicate(timeout=30)
            pytest.fail(f"the partial file never held {STALL_AFTER} bytes; stderr: {err}")
        time.sleep(0.01)


def _partial(out: Path) -> Path | None:
    found = sorted(out.glob(f".big.bin.*{PARTIAL_SUFFIX}"))
    return found[0] if found else None


def _held(out: Path) -> int:
    partial = _partial(out)
    return partial.stat().st_size if partial is not None else 0


def _start_stalled(emulator: Emulator, out: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """A download that received part of big.bin and now waits for the rest."""
    rule = emulator.faults.stall("GET", r"/big\.bin$", seconds=300, after_bytes=STALL_AFTER)
    process = subprocess.Popen(
        _download(out, env), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert emulator.faults.wait_fired(rule, timeout=60)
    # Once every byte sent so far is on disk, the client is blocked on the stalled socket.
    _wait_until(lambda: _held(out) == STALL_AFTER, process)
    return process


def _resume(emulator: Emulator, out: Path, env: dict[str, str], held: int) -> None:
    """The next run asks only for the missing bytes, verifies and renames the file."""
    emulator.counters.reset()
    again = subprocess.run(
        _download(out, env), env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert again.returncode == 0, again.stderr
    counts = emulator.counters.snapshot()
    assert counts.count("download", 206) == 1
    assert counts.count("download", 200) == 0
    assert counts.bytes_sent == len(BIG) - held
    assert files_under(out) == {"big.bin": BIG}  # no partial file left behind


def test_ctrl_c_exits_130_promptly_says_how_to_resume_and_the_next_run_resumes(
    emulator: Emulator, tmp_path: Path, isolated_home: Path
) -> None:
    _publish(emulator, tmp_path, {"big.bin": BIG})
    out, env = tmp_path / "out", _env(emulator, isolated_home)
    process = _start_stalled(emulator, out, env)
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=15)  # the stalled socket would hold it 60 s
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate(timeout=30)
        pytest.fail("Ctrl-C did not stop the download promptly")
    assert process.returncode == 130, err
    assert time.monotonic() - interrupted < 10
    assert RESUME_HINT in err
    assert "Traceback" not in err
    assert not (out / "big.bin").exists()
    assert _held(out) == STALL_AFTER
    _resume(emulator, out, env, STALL_AFTER)


def test_a_killed_download_is_resumed_by_the_next_run(
    emulator: Emulator, tmp_path: Path, isolated_home: Path
) -> None:
    _publish(emulator, tmp_path, {"big.bin": BIG})
    out, env = tmp_path / "out", _env(emulator, isolated_home)
    process = _start_stalled(emulator, out, env)
    process.kill()  # SIGKILL: no cleanup of any kind
    process.communicate(timeout=30)
    assert not (out / "big.bin").exists()
    assert _held(out) == STALL_AFTER
    _resume(emulator, out, env, STALL_AFTER)


def test_a_rerun_after_a_failed_upload_sends_only_what_the_server_lacks(
    emulator: Emulator, tmp_path: Path
) -> None:
    files = {name: os.urandom(200 * 1024) for name in ("a.bin", "b.bin", "z.bin")}
    files["small.txt"] = b"tiny"
    source = write_tree(tmp_path / "src", files)
    emulator.faults.reset_request("PUT", r"/z\.bin$", after_bytes=50_000, times=None)
    # One thread, pinned: a.bin and b.bin are stored before z.bin fails.
    storage, _ = Runner(emulator, tmp_path).storage(threads=1, pinned=True)
    with pytest.raises(TransientError, match=r"z\.bin"):
        storage.upload_dataset_version("ml-local", "data", str(source), version="1")
    counts = emulator.counters.snapshot()
    assert counts.count("commit") == 0
    assert emulator.paths("ml-local", "datasets/data/1") == []  # the transaction published nothing
    stored = {p.rsplit("/", 1)[-1] for p in emulator.paths("ml-local", "datasets/data/tmp")}
    assert {"a.bin", "b.bin"} <= stored
    assert "z.bin" not in stored

    emulator.faults.clear()
    emulator.counters.reset()
    request = UploadDatasetRequest(
        repository="ml-local", name="data", source_path=str(source), version="1"
    )
    result = storage.upload_dataset(request)
    counts = emulator.counters.snapshot()
    assert counts.count("checksum_deploy", 201) == 2  # a.bin and b.bin: linked, not sent
    assert counts.bytes_received == len(files["z.bin"]) + len(files["small.txt"])
    assert result.report.files_deduplicated == 2
    published = "datasets/data/1/dataset"
    assert {n: emulator.read_bytes("ml-local", f"{published}/{n}") for n in files} == files
