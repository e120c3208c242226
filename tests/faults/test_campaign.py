"""The fault campaign: random uploads and downloads under random faults, every promise checked.

Knobs (environment): ``FROGML_FAULT_OPS`` operations (default 50; the full campaign
is 200 or more), ``FROGML_FAULT_SEED`` the seed (default: a fixed one, so the suite
is deterministic; ``just faults`` draws a fresh one, printed, to explore),
``FROGML_FAULT_REPORT`` a path where the figures are written as JSON.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from emulator import Emulator
from tests.faults._checks import OpReport
from tests.faults._plan import Expect, Operation, plan_operation
from tests.faults._run import Runner

DEFAULT_OPS = 50
DEFAULT_SEED = 20261130


def _figures(
    seed: int, ops: list[Operation], reports: list[OpReport], emulator: Emulator, seconds: float
) -> dict[str, object]:
    fired: Counter[str] = Counter()
    counts = emulator.counters.snapshot()
    for report in reports:
        fired.update(report.fired)
    return {
        "seed": seed,
        "operations": len(ops),
        "uploads": sum(op.direction == "upload" for op in ops),
        "downloads": sum(op.direction == "download" for op in ops),
        "expected": dict(Counter(op.expect.value for op in ops)),
        "hostile_operations": dict(
            sorted(
                Counter(
                    f"{op.rules[0].kind} -> {r.outcome}"
                    for op, r in zip(ops, reports, strict=True)
                    if op.expect is Expect.HOSTILE
                ).items()
            )
        ),
        "faults_injected": sum(fired.values()),
        "faults_by_kind": dict(sorted(fired.items())),
        "retries": sum(r.retries for r in reports),
        "retry_after_honoured": sum(r.retry_after_honoured for r in reports),
        "outcomes": dict(Counter(r.outcome for r in reports)),
        "reruns": dict(Counter(r.rerun for r in reports if r.rerun)),
        "rerun_checksum_deploy_hits": sum(r.rerun_checksum_hits for r in reports),
        "rerun_ranged_resumes": sum(r.rerun_ranged for r in reports),
        "requests_served": sum(counts.requests.values()),
        "ranged_downloads_206": counts.count("download", 206),
        "checksum_deploy_hits": counts.count("checksum_deploy", 201),
        "commit_replays_answered_409": counts.count("commit", 409),
        "corrupted_files_accepted": sum(r.corrupt for r in reports),
        "foreign_bytes_kept_for_resume": sum(r.foreign_partials for r in reports),
        "half_published_versions": sum(r.half_published for r in reports),
        "hangs": sum(r.hung for r in reports),
        "slowest_operation": _slowest(reports),
        "problems": sum(len(r.problems) for r in reports),
        "seconds": round(seconds, 1),
    }


def _slowest(reports: list[OpReport]) -> str:
    """The operation that took longest, against its limit (what its settings allow)."""
    worst = max(reports, key=lambda r: r.seconds)
    return f"{worst.seconds:.1f} s of a {worst.limit:.0f} s limit (+10 s)"


def _print(figures: dict[str, object], capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\nfault campaign:")
        for key, value in figures.items():
            print(f"  {key}: {value}")


def test_every_operation_ends_identical_or_with_a_clear_error(
    emulator: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = int(os.environ.get("FROGML_FAULT_SEED") or DEFAULT_SEED)
    count = int(os.environ.get("FROGML_FAULT_OPS") or DEFAULT_OPS)
    rng = random.Random(seed)
    runner = Runner(emulator, tmp_path)
    reusable: list[bytes] = []
    ops: list[Operation] = []
    reports: list[OpReport] = []
    started = time.monotonic()
    for number in range(count):
        op = plan_operation(rng, number, reusable)
        ops.append(op)
        reports.append(runner.run(op))
    figures = _figures(seed, ops, reports, emulator, time.monotonic() - started)
    _print(figures, capsys)
    if os.environ.get("FROGML_FAULT_REPORT"):
        Path(os.environ["FROGML_FAULT_REPORT"]).write_text(json.dumps(figures, indent=2) + "\n")
    problems = [
        f"op {op.number} ({op.direction} {op.kind}, {op.expect.value}, "
        f"rules {[(r.kind, r.method, r.path, r.times) for r in op.rules]}): {problem}"
        for op, report in zip(ops, reports, strict=True)
        for problem in report.problems
    ]
    assert not problems, f"seed {seed}:\n" + "\n".join(problems)
    assert figures["corrupted_files_accepted"] == 0
    assert figures["foreign_bytes_kept_for_resume"] == 0
    assert figures["half_published_versions"] == 0
    assert figures["hangs"] == 0
    assert all(
        op.expect is Expect.SUCCESS or r.outcome == "identical" or r.rerun == "identical"
        for op, r in zip(ops, reports, strict=True)
    )
