"""What ``run.py`` needs around the interop matrix: JFrog's client's virtual environment
and child process, the emulator process, test files, direct HTTP reads, the machine."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import selectors
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal
from urllib.parse import quote

import urllib3

__all__ = [
    "CHILD",
    "JFROG_VERSION",
    "TOKEN",
    "DirectHttp",
    "Emulator",
    "JFrogClient",
    "JobOutcome",
    "UrlMode",
    "git_state",
    "jfrog_python",
    "machine",
    "read_tree",
    "repo_path_url",
]

JFROG_VERSION = "2.1.152"
TOKEN = "interop-token"  # noqa: S105  (a throw-away token of a local emulator)
CHILD = Path(__file__).resolve().parent / "_jfrog_child.py"
UrlMode = Literal["raw", "encoded"]

_PIP_TIMEOUT = 1800  # seconds: JFrog's client pulls grpcio, protobuf, pydantic, …
_CHILD_TIMEOUT = 600
_START_TIMEOUT = 60


def _clean_env(home: Path) -> dict[str, str]:
    """This process's environment without any JFrog or frogml setting, and a fresh home
    (so no saved login, ``~/.frogml`` or JFrog CLI configuration is found)."""
    home.mkdir(parents=True, exist_ok=True)
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("JF", "FROGML", "PYTHON"))}
    return {**keep, "HOME": str(home), "TQDM_DISABLE": "1", "PYTHONIOENCODING": "utf-8"}


def jfrog_python(venv: Path, log: Path) -> tuple[str, str]:
    """The interpreter of JFrog's client, creating its venv when missing or stale, and
    how it was obtained. The whole package is installed, as ``benchmarks/`` does: its
    ``frogml/__init__.py`` imports its whole SDK (grpc, dependency-injector, …) before
    ``frogml.storage`` can load, so ``--no-deps`` plus a short list does not work."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run(
            [sys.executable, "-m", "venv", str(venv)], check=True, timeout=_START_TIMEOUT * 5
        )
    probe = [str(python), "-I", "-c", "import importlib.metadata as m; print(m.version('frogml'))"]
    found = subprocess.run(
        probe, capture_output=True, text=True, check=False, timeout=_START_TIMEOUT
    ).stdout.strip()
    if found == JFROG_VERSION:
        return str(python), f"reused {venv.name}"
    with open(log, "w", encoding="utf-8") as out:
        pip = [str(python), "-m", "pip", "install", "-q", f"frogml=={JFROG_VERSION}"]
        done = subprocess.run(pip, stdout=out, stderr=subprocess.STDOUT, timeout=_PIP_TIMEOUT)
    if done.returncode != 0:
        raise SystemExit(f"pip could not install frogml=={JFROG_VERSION}; see {log}")
    return str(python), f"installed frogml=={JFROG_VERSION} from PyPI into {venv.name}"


class Emulator:
    """``python -m emulator`` (from this repository) as a child process on 127.0.0.1."""

    def __init__(self, root: Path, work: Path, mode: UrlMode) -> None:
        self._root, self._work, self.mode = root, work, mode
        self._process: subprocess.Popen[str] | None = None
        self._stderr: Any = None
        self.url = ""  # http://127.0.0.1:PORT/artifactory

    def __enter__(self) -> Emulator:
        self._work.mkdir(parents=True, exist_ok=True)
        self._stderr = open(self._work / "emulator.log", "w", encoding="utf-8")
        command = [sys.executable, "-m", "emulator", "--host", "127.0.0.1", "--port", "0"]
        command += ["--token", TOKEN, "--url-mode", self.mode, "--data", str(self._work / "data")]
        self._process = subprocess.Popen(
            command, cwd=self._root, stdout=subprocess.PIPE, stderr=self._stderr, text=True
        )
        assert self._process.stdout is not None
        with selectors.DefaultSelector() as selector:  # wait for its first line, no sleeping
            selector.register(self._process.stdout, selectors.EVENT_READ)
            ready = selector.select(timeout=_START_TIMEOUT)
        line = self._process.stdout.readline().strip() if ready else ""
        if not line.startswith("http://127.0.0.1:"):
            self.__exit__(None, None, None)
            raise SystemExit(f"the emulator did not start; see {self._work / 'emulator.log'}")
        self.url = line
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=30)
            if self._process.stdout is not None:
                self._process.stdout.close()
            self._process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    @property
    def server(self) -> str:
        """The URL without ``/artifactory``: what JFrog's ``by_access_token`` is given."""
        return self.url.removesuffix("/artifactory")


@dataclass(frozen=True)
class JobOutcome:
    """What JFrog's client did with one job: raised or not, and what it logged."""

    ok: bool
    error: str | None
    logged_errors: tuple[str, ...]

    def describe(self) -> str:
        """The error, else the first logged error, else an empty string."""
        if self.error:
            return self.error
        return self.logged_errors[0] if self.logged_errors else ""


class JFrogClient:
    """Runs a batch of jobs in one process of JFrog's client (see ``_jfrog_child.py``)."""

    def __init__(self, python: str, venv: Path, work: Path) -> None:
        self._python, self._venv, self._work = python, venv, work
        self._runs = 0
        self.client_file = ""

    def run(self, server: str, jobs: list[dict[str, Any]]) -> list[JobOutcome]:
        self._runs += 1
        folder = self._work / f"jfrog-run-{self._runs}"
        folder.mkdir(parents=True)
        jobs_path, results_path = folder / "jobs.json", folder / "results.json"
        spec = {"url": server, "token": TOKEN, "jobs": jobs}
        jobs_path.write_text(json.dumps(spec, ensure_ascii=False, indent=1), "utf-8")
        command = [self._python, "-I", str(CHILD), str(jobs_path), str(results_path)]
        with open(folder / "output.log", "w", encoding="utf-8") as log:
            # cwd outside this repository: its ``frogml`` must not shadow JFrog's.
            done = subprocess.run(
                command,
                cwd=folder,
                env=_clean_env(folder / "home"),
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=_CHILD_TIMEOUT,
                check=False,
            )
        document: dict[str, Any] = (
            json.loads(results_path.read_text("utf-8")) if results_path.exists() else {}
        )
        outcomes = [
            JobOutcome(ok=o["ok"], error=o["error"], logged_errors=tuple(o["logged_errors"]))
            for o in document.get("jobs", [])
        ]
        if done.returncode != 0 or len(outcomes) != len(jobs):
            raise SystemExit(f"JFrog's client process failed; see {folder / 'output.log'}")
        client_file = str(document["client"]["file"])
        if not Path(client_file).resolve().is_relative_to(self._venv.resolve()):
            raise SystemExit(f"the child imported frogml from {client_file}, not JFrog's venv")
        self.client_file = client_file
        return outcomes


def read_tree(root: Path) -> dict[str, bytes]:
    """Every regular file below ``root``: POSIX relative path -> contents."""
    found: dict[str, bytes] = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def repo_path_url(base: str, repo: str, path: str) -> str:
    """``{base}/{repo}/{path}`` with every segment of ``path`` percent-encoded."""
    return f"{base}/{repo}/" + "/".join(quote(part, safe="") for part in path.split("/"))


class DirectHttp:
    """Plain reads of the emulator, bypassing both clients."""

    def __init__(self) -> None:
        self._pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=60))
        self._headers = {"Authorization": f"Bearer {TOKEN}"}

    def get(self, url: str) -> tuple[int, bytes]:
        response = self._pool.request("GET", url, headers=self._headers)
        return response.status, response.data

    def properties(self, base: str, repo: str, path: str) -> dict[str, list[str]]:
        """The properties of ``path`` from the storage API (``?properties``)."""
        status, body = self.get(repo_path_url(f"{base}/api/storage", repo, path) + "?properties")
        if status == 404:
            return {}
        if status != 200:
            raise RuntimeError(f"storage API answered {status}: {body[:200]!r}")
        found: dict[str, list[str]] = json.loads(body).get("properties", {})
        return found

    def list_files(self, base: str, repo: str, path: str) -> list[str]:
        """The files below ``path`` (storage API ``?list&deep=1``), relative to it."""
        url = repo_path_url(f"{base}/api/storage", repo, path) + "?list&deep=1"
        status, body = self.get(url)
        if status != 200:
            return []
        files: list[dict[str, Any]] = json.loads(body).get("files", [])
        return sorted(str(f["uri"]).lstrip("/") for f in files if not f.get("folder"))

    def close(self) -> None:
        self._pool.clear()


def machine() -> str:
    """One line about this machine: CPU, cores, memory, kernel, Python."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {round(int(line.split()[1]) / 1024 / 1024)} GiB memory"
                break
    system = f"{platform.system()} {platform.release()}"
    python = platform.python_version()
    return f"{os.cpu_count()} × {cpu}{memory}, {system}, Python {python}"


def git_state(root: Path) -> str:
    """The checked-out commit, and whether the work tree has local changes."""
    git = shutil.which("git")
    if git is None:
        return "unknown (no git)"

    def ask(*args: str) -> str:
        done = subprocess.run(
            [git, *args], cwd=root, capture_output=True, text=True, timeout=60, check=False
        )
        return done.stdout.strip()

    head = ask("rev-parse", "--short", "HEAD") or "unknown"
    dirty = ask("status", "--porcelain", "--untracked-files=no", "--", "frogml", "emulator")
    return f"{head}{' + uncommitted changes in frogml/ or emulator/' if dirty else ''}"
