"""Run frogml's benchmarks (``just bench``) and print their tables.

Benchmarks measure; they never fail on a time. Record results in RESULTS.md with
the machine and the command.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["local_roundtrip.py"]


def main() -> int:
    for script in BENCHMARKS:
        print(f"## {script} {' '.join(sys.argv[1:])}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / script), *sys.argv[1:]], check=False)
        if done.returncode != 0:
            return done.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
