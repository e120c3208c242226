"""What ``many_files.py`` needs around its measurements: test data, and child processes
measured for time, peak RSS and peak open files."""

from __future__ import annotations

import json
import os
import random
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["CHILD", "Sample", "make_files", "measure"]

CHILD = Path(__file__).resolve().parent / "_many_files_child.py"
_PER_FOLDER = 1000
_SAMPLE_SECONDS = 0.002


@dataclass(frozen=True)
class Sample:
    """One measured operation: its own time, its process's peak RSS and open files."""

    seconds: float
    peak_kib: int
    peak_fds: int
    answer: dict[str, Any]


def make_files(folder: Path, count: int, *, seed: int) -> int:
    """``count`` files of 512 B to 4 KiB of random bytes, 1,000 per folder; their bytes."""
    draw = random.Random(seed)
    total = 0
    for index in range(count):
        sub = folder / f"d{index // _PER_FOLDER:03d}"
        if index % _PER_FOLDER == 0:
            sub.mkdir(parents=True)
        size = draw.randint(512, 4096)
        (sub / f"f{index:06d}.bin").write_bytes(draw.randbytes(size))
        total += size
    os.sync()  # no write-back of the data left to slow down what is measured
    return total


def _open_files(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def measure(
    python: str, client: str, op: str, args: dict[str, Any], *, env: dict[str, str], cwd: Path
) -> Sample:
    """Run one operation in a fresh process; sample its open files every 2 ms (a sampled
    peak); its peak RSS is the one it reports (``VmHWM``)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            [python, str(CHILD), client, op, json.dumps(args)],
            stdout=out,
            stderr=err,
            env=env,
            cwd=cwd,
        )
        peak_fds = 0
        while process.poll() is None:
            peak_fds = max(peak_fds, _open_files(process.pid))
            time.sleep(_SAMPLE_SECONDS)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise SystemExit(f"{client} {op} failed:\n{stderr[-3000:]}")
    answer = json.loads(stdout.strip().splitlines()[-1])
    return Sample(answer["seconds"], answer["peak_kib"], peak_fds, answer)
