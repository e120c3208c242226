"""Checking an untrusted manifest costs memory in proportion to its size, whatever its
shape: 1 MiB manifests of random depth and breadth stay far below 50 MB of allocations.

The time is measured by ``benchmarks/manifest_checks.py`` (``just bench``), not here.
"""

from __future__ import annotations

import contextlib
import random
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from emulator.hostile import MIB, manifest_of_shape
from frogml.adapters.filesystem._sink import final_path
from frogml.domain.errors import FrogMLError
from frogml.domain.model.kind import Area
from frogml.domain.model.manifest_json import decode_dataset_info, decode_model_info
from frogml.domain.model.names import check_distinct

PEAK_LIMIT = 50 * 1000 * 1000


def _check(data: bytes, kind: str, target: Path) -> None:
    """What a download checks before it writes: the manifest, its local paths, and
    where each file would land."""
    manifest = decode_model_info(data) if kind == "model" else decode_dataset_info(data)
    local = [area.local_path(a.artifact_path) for area, a in manifest.entries()]
    check_distinct(local, what="the manifest's local paths", fold_case=True)
    for _, artifact in manifest.entries():
        with contextlib.suppress(FrogMLError):  # a path this disk cannot hold is refused
            final_path(str(target), Area.FILES.local_path(artifact.artifact_path))


def _peak(run: Callable[[], None]) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("seed", range(5))
def test_a_one_mib_manifest_of_any_shape_is_checked_in_bounded_memory(
    seed: int, tmp_path: Path
) -> None:
    rng = random.Random(seed)
    kind = rng.choice(("model", "dataset"))
    shape = ("deep", "deepest_allowed", "wide", "tree", "long_names")[seed % 5]
    data = manifest_of_shape(rng, shape, kind=kind, size=MIB)
    assert len(data) >= MIB

    def run() -> None:
        with contextlib.suppress(FrogMLError):  # refused is fine: what counts is the cost
            _check(data, kind, tmp_path)

    peak = _peak(run)
    assert peak < PEAK_LIMIT, f"{shape} manifest: peak {peak / 1e6:.1f} MB"


def test_the_deep_manifest_of_the_review_is_refused_cheaply(tmp_path: Path) -> None:
    """``a/`` 40,000 times and ``x``: once 1.9 GB and 34 s."""
    artifact = {"artifact_path": "a/" * 40_000 + "x", "size": 1, "checksums": {"sha2": "0" * 64}}
    data = msgspec.json.encode({"created_date": "2026-01-01", "dataset_artifacts": [artifact]})

    def run() -> None:
        with pytest.raises(FrogMLError, match="longer than 4096 characters"):
            _check(data, "dataset", tmp_path)

    assert _peak(run) < PEAK_LIMIT
