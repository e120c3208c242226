"""Time and memory of checking an untrusted manifest before a download writes anything
(issue 12): decoding it (every artifact path checked; a path longer than 4,096
characters refuses the manifest), refusing local paths that clash, and resolving where
each file lands in the target folder.

Manifests of 1/4, 1 and 4 MiB in five shapes (``emulator/hostile.py``): one very deep
path, many paths of 2,000 folders (the deepest allowed), many files in one folder, a
random tree, a few very long names; and the review's
``a/`` x 40,000 + ``x``. Time is the median of ``--runs`` runs without tracing; peak
memory is measured in one more run under tracemalloc. The test suite bounds the
memory (tests/unit/test_manifest_checks_bounded.py); this reports the time.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the emulator package, beside frogml

from emulator.hostile import MIB, deep_manifest, manifest_of_shape  # noqa: E402
from frogml.adapters.filesystem._sink import final_path  # noqa: E402
from frogml.domain.errors import FrogMLError  # noqa: E402
from frogml.domain.model.manifest_json import decode_dataset_info  # noqa: E402
from frogml.domain.model.names import check_distinct  # noqa: E402

SHAPES = ("deep", "deepest_allowed", "wide", "tree", "long_names")


def check(data: bytes, target: str) -> int:
    """What a download checks before it writes; the number of files, or -1 when the
    manifest is refused (a path longer than any disk holds)."""
    try:
        manifest = decode_dataset_info(data)
    except FrogMLError:
        return -1
    paths = [a.artifact_path for a in manifest.dataset_artifacts]
    check_distinct(paths, what="the manifest's local paths", fold_case=True)
    for path in paths:
        with contextlib.suppress(FrogMLError):  # longer than the disk allows: refused
            final_path(target, path)
    return len(paths)


def measure(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median seconds, peak MB under tracemalloc)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    try:
        run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return statistics.median(times), peak / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="0.25,1,4", help="manifest sizes in MiB")
    options = parser.parse_args()
    sizes = [float(s) for s in options.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as target:
        cases = [("review: a/ x 40,000 + x", deep_manifest("dataset", depth=40_000))]
        for size in sizes:
            for shape in SHAPES:
                data = manifest_of_shape(
                    random.Random(1), shape, kind="dataset", size=int(size * MIB)
                )
                cases.append((f"{shape} {size:g} MiB", data))
        for name, data in cases:
            files = check(data, target)
            seconds, peak = measure(lambda data=data: check(data, target), options.runs)
            rows.append((name, len(data), files, seconds, peak))
    print("| manifest | bytes | files | seconds (median) | peak MB (tracemalloc) |")
    print("|---|---|---|---|---|")
    for name, size, files, seconds, peak in rows:
        shown = "refused" if files < 0 else f"{files:,}"
        print(f"| {name} | {size:,} | {shown} | {seconds:.3f} | {peak:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
