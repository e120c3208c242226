"""Run frogml's benchmarks (``just bench``) and print their tables.

Benchmarks measure; they never fail on a time. Record results in RESULTS.md with
the machine and the command. ``--quick`` runs every benchmark with small sizes;
other arguments go to every benchmark.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "local_roundtrip.py",
    "transfers.py",
    "startup.py",
    "manifest_checks.py",
    "many_files.py",
]
QUICK = {
    "local_roundtrip.py": ["--big-mib", "64", "--small-files", "100"],
    "transfers.py": ["--quick"],
    "startup.py": ["--runs", "5"],
    "manifest_checks.py": ["--runs", "1", "--sizes", "1"],
    "many_files.py": ["--quick"],
}


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    rest = [arg for arg in sys.argv[1:] if arg != "--quick"]
    for script in BENCHMARKS:
        args = [*(QUICK[script] if quick else []), *rest]
        print(f"## {script} {' '.join(args)}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / script), *args], check=False)
        if done.returncode != 0:
            return done.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
