"""Start-up time of the ``frogml`` command against ``python -c pass`` and against the
import of JFrog's reference client (``import frogml.storage.frog_ml``, PyPI
``frogml==2.1.152``, in its own venv at ``benchmarks/.work/ref-venv``, created when
missing). Each command runs ``--runs`` times after one warm-up; the median is shown.
Target (issue 6): ``frogml --help``/``--version`` at most 0.3x the reference import.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REF_VENV = HERE / ".work" / "ref-venv"
REF_VERSION = "2.1.152"


def ref_python() -> str:
    """The reference client's interpreter, creating its venv when it is missing."""
    python = REF_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(REF_VENV)], check=True)
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('frogml'))"]
    found = subprocess.run(
        probe, capture_output=True, text=True, check=False, cwd=tempfile.gettempdir()
    )
    if found.stdout.strip() != REF_VERSION:
        pip = [str(python), "-m", "pip", "install", "-q", f"frogml=={REF_VERSION}"]
        subprocess.run(pip, check=True)
    return str(python)


def median_seconds(command: list[str], runs: int, cwd: str) -> float:
    """The median wall time of ``command`` (one warm-up run first, not counted)."""
    times = []
    for index in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=cwd)
        if index:
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args([a for a in sys.argv[1:] if a.startswith("--runs")])
    frogml = str(Path(sys.executable).parent / "frogml")
    # A neutral folder: the reference venv must not see this repository's frogml package.
    cwd = tempfile.mkdtemp(prefix="frogml-startup-")
    reference = median_seconds(
        [ref_python(), "-c", "import frogml.storage.frog_ml"], args.runs, cwd
    )
    rows = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("frogml --version", [frogml, "--version"]),
        ("frogml --help", [frogml, "--help"]),
        ("python -c 'import frogml'", [sys.executable, "-c", "import frogml"]),
    ]
    print(f"| command | median (ms) | x reference import |  (runs: {args.runs})")
    print("|---|---|---|")
    print(f"| reference: import frogml.storage.frog_ml | {reference * 1000:.0f} | 1.00 |")
    for label, command in rows:
        seconds = median_seconds(command, args.runs, cwd)
        print(f"| {label} | {seconds * 1000:.0f} | {seconds / reference:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
