"""What ``transfers.py`` needs around its measurements: the emulator process, the
reference client's virtual environment, measured child processes, test data."""

from __future__ import annotations

import filecmp
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "REF_VERSION",
    "Emulator",
    "Measure",
    "Sample",
    "make_small",
    "ref_python",
    "same_tree",
    "stamp",
]

REF_VERSION = "2.1.152"
TOKEN = "bench-token"  # noqa: S105  (a throw-away token of a local emulator)
CHILD = Path(__file__).resolve().parent / "_transfer_child.py"
_PEAK = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


@dataclass(frozen=True)
class Sample:
    """One measured operation: its own time, its process's peak RSS, and the CPU
    seconds (user + system, every thread) of the operation alone."""

    seconds: float
    peak_kib: int
    cpu_seconds: float = 0.0


class Emulator:
    """``python -m emulator`` as a separate process (its own GIL)."""

    def __init__(self, root: Path, data: Path) -> None:
        self._root, self._data = root, data
        self._process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> Emulator:
        self._data.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "emulator", "--port", "0", "--token", TOKEN]
        self._process = subprocess.Popen(
            [*command, "--data", str(self._data)],
            cwd=self._root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self._process.stdout is not None
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise SystemExit("the emulator did not start")
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=30)

    @property
    def pid(self) -> int | None:
        """The emulator's process id (its CPU time tells whether it is the bottleneck)."""
        return None if self._process is None else self._process.pid

    def client_env(self, *, home: Path) -> dict[str, str]:
        """An environment naming this server, with an empty home (no saved logins)."""
        home.mkdir(parents=True, exist_ok=True)
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("JF", "FROGML"))}
        return {**keep, "HOME": str(home), "JF_URL": self.url, "JF_ACCESS_TOKEN": TOKEN}


class Measure:
    """Runs one operation in a fresh process of a client's interpreter."""

    def __init__(self, pythons: dict[str, str], env: dict[str, str], cwd: Path) -> None:
        self._pythons, self._env, self._cwd = pythons, env, cwd

    def __call__(self, client: str, op: str, args: dict[str, Any]) -> Sample:
        python = self._pythons[client]
        command = ["/usr/bin/time", "-v", python, str(CHILD), client, op, json.dumps(args)]
        # The reference client must not find this repository's ``frogml`` package.
        cwd = self._cwd if client != "ref" else CHILD.parent.parent / "benchmarks"
        done = subprocess.run(
            command, capture_output=True, text=True, env=self._env, cwd=cwd, check=False
        )
        peak = _PEAK.search(done.stderr)
        if done.returncode != 0 or peak is None:
            raise SystemExit(f"{client} {op} failed:\n{done.stderr[-3000:]}")
        timed = json.loads(done.stdout.strip().splitlines()[-1])
        return Sample(
            seconds=timed["seconds"], peak_kib=int(peak.group(1)), cpu_seconds=timed["cpu"]
        )


def ref_python(venv: Path) -> str:
    """The reference client's interpreter, creating its venv when it is missing."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('frogml'))"]
    found = subprocess.run(probe, capture_output=True, text=True, check=False).stdout.strip()
    if found != REF_VERSION:
        pip = [str(python), "-m", "pip", "install", "-q", f"frogml=={REF_VERSION}"]
        subprocess.run(pip, check=True)
    return str(python)


def make_small(folder: Path, count: int, kib: int) -> Path:
    """``count`` files of ``kib`` KiB of fresh random bytes."""
    folder.mkdir(parents=True)
    for index in range(count):
        (folder / f"part-{index:05d}.bin").write_bytes(os.urandom(kib * 1024))
    return folder


def stamp(path: Path, mib: int) -> None:
    """Make ``path`` a ``mib`` MiB file with fresh content: random once, then a new
    random first block each call (a new SHA-256 without rewriting the whole file)."""
    if not path.exists():
        block = os.urandom(1 << 20)
        with open(path, "wb") as file:
            for index in range(mib):
                file.write(index.to_bytes(8, "little") + block[8:])
    with open(path, "r+b") as file:
        file.write(os.urandom(4096))


def same_tree(source: Path, copy: Path) -> bool:
    """True when ``copy`` holds exactly the files of ``source`` (a file or a folder)."""
    if source.is_file():
        return copy.is_file() and filecmp.cmp(source, copy, shallow=False)
    names = sorted(p.relative_to(source) for p in source.rglob("*") if p.is_file())
    held = sorted(p.relative_to(copy) for p in copy.rglob("*") if p.is_file())
    return names == held and all(filecmp.cmp(source / n, copy / n, shallow=False) for n in names)
