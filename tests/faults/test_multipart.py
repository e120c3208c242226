"""The fault campaign for multipart upload, and a killed multipart upload.

Random uploads whose big file goes as parts (MultipartPolicy: from 2 MiB, parts of
1 MiB, 1 to 3 at a time) while faults break the multipart calls: create, urlPart,
the parts sent to the object store, complete, status, the checksum deploy with the
token; and the emulator's own hooks: a part altered in transit, a merge failing
retryably. *Transient* faults (at most 3 firings per target, fewer than the client's
6 attempts) must be survived byte-identical; a *permanent* refusal (one target, every
time) must end in a clear FrogMLError naming the server's message, publish nothing
and leave no part in the object store (the client aborted); then the same upload,
without faults, must succeed byte-identical. Knobs: ``FROGML_MULTIPART_OPS``
(default 24) and ``FROGML_FAULT_SEED``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from emulator import Emulator, FaultRule
from frogml import FrogMLError, FrogMLStorage
from frogml.adapters.artifactory import (
    ArtifactorySettings,
    ArtifactoryStore,
    RetryPolicy,
    StallPolicy,
)
from frogml.adapters.artifactory.settings import MultipartPolicy
from frogml.adapters.filesystem import LocalFileSystem
from frogml.domain.ports.credentials import Credentials
from tests.faults._checks import REPO, VERSION, OpReport, check_after_failure, compare
from tests.faults._plan import MAX_ATTEMPTS, STALL_WINDOW, Expect, Operation
from tests.faults._run import READ_TIMEOUT, Runner
from tests.integration.helpers import write_tree

_MIB = 1 << 20
DEFAULT_OPS = 24
DEFAULT_SEED = 20261202
HANG_LIMIT = 120.0  # seconds one operation may take (parts, retries, stalls of 2 s)

# (role, method, path regex) of the multipart requests.
_TARGETS = {
    "create": ("POST", r"/api/v1/uploads/create\?"),
    "url_part": ("POST", r"/api/v1/uploads/urlPart\?"),
    "part": ("PUT", r"^/objectstore/"),
    "complete": ("POST", r"/api/v1/uploads/complete\?"),
    "status": ("POST", r"/api/v1/uploads/status"),
    "token_deploy": ("PUT", r"/big\.bin$"),  # only the deploy with the token: big.bin goes as parts
}
_TRANSIENT = (500, 502, 503, 504, 429)


@dataclass
class MultipartOp:
    op: Operation
    parts: int
    hooks: dict[str, int] = field(default_factory=dict)  # corrupt_parts, merge_errors


def _rule(role: str, kind: str, times: int | None, **fields: object) -> FaultRule:
    method, path = _TARGETS[role]
    return FaultRule(kind=kind, method=method, path=path, times=times, **fields)  # type: ignore[arg-type]


def _transient(rng: random.Random, role: str) -> FaultRule:
    times = rng.randint(1, 3)
    kinds = ["fail", "fail", "reset_response"]
    if role in ("part", "token_deploy", "complete"):
        kinds.append("reset_request")
    if role in ("token_deploy", "complete"):
        kinds.append("lie")  # took effect, answered an error: the retry must still work
    if role == "part":
        kinds.append("stall")
    kind = rng.choice(kinds)
    if kind == "fail":
        return _rule(role, "fail", times, status=rng.choice(_TRANSIENT))
    if kind == "reset_request":
        after = rng.randrange(_MIB) if role == "part" else 0
        return _rule(role, "reset_request", times, after_bytes=after)
    if kind == "lie":
        return _rule(role, "lie", 1, status=rng.choice((500, 502)))
    if kind == "stall":
        return _rule(role, "stall", 1, seconds=2.0)
    return _rule(role, "reset_response", times, after_bytes=0)


def plan(rng: random.Random, number: int) -> MultipartOp:
    files = {"big.bin": rng.randbytes(rng.randint(2 * _MIB, 5 * _MIB))}
    for index in range(rng.randint(0, 2)):
        files[f"sub/small{index}.bin"] = rng.randbytes(rng.randint(1, 64 * 1024))
    op = Operation(
        number=number,
        direction="upload",
        kind=rng.choice(("model", "dataset")),
        files=files,
        dependency=None,
        threads=rng.choice((None, 1, 2, 4)),
        range_parts=1,
    )
    planned = MultipartOp(op=op, parts=rng.randint(1, 3))
    if rng.random() < 0.3:
        op.expect = Expect.PERMANENT
        op.marker = f"multipart refusal {number}"
        # (A refused create is no failure: the file then goes as one PUT.)
        role = rng.choice([r for r in _TARGETS if r not in ("status", "create")])
        status = rng.choice((400, 403)) if role != "part" else rng.choice((403, 500))
        op.rules.append(_rule(role, "fail", None, status=status, message=op.marker))
        return planned
    for role in rng.sample(list(_TARGETS), k=rng.randint(1, 3)):
        op.rules.append(_transient(rng, role))
    if rng.random() < 0.3:
        planned.hooks["corrupt_parts"] = rng.randint(1, 2)
    if rng.random() < 0.3:
        planned.hooks["merge_errors"] = 1
    return planned


class _Runner(Runner):
    """The campaign's client settings (read timeout 1 s, 6 attempts, sleeps recorded
    and never waited), with multipart upload from 2 MiB."""

    def __init__(self, emulator: Emulator, root: Path, parts: int) -> None:
        super().__init__(emulator, root)
        self.policy = MultipartPolicy(
            threshold=2 * _MIB, part_size=_MIB, parts=parts, min_round_trip=0.0
        )

    def storage(
        self, threads: int, range_parts: int = 1, *, pinned: bool = False
    ) -> tuple[FrogMLStorage, ArtifactoryStore]:
        credentials = Credentials(url=self.emu.url, access_token="test-token", source="tests")
        settings = ArtifactorySettings(
            credentials=credentials,
            connect_timeout=5.0,
            read_timeout=READ_TIMEOUT,
            thread_count=threads,
            adaptive=not pinned,
            retry=RetryPolicy(
                max_attempts=MAX_ATTEMPTS, backoff_base=0.05, backoff_cap=1.0, time_budget=600.0
            ),
            stall=StallPolicy(min_bytes=STALL_WINDOW[0], seconds=STALL_WINDOW[1]),
            multipart=self.policy,
        )
        store = ArtifactoryStore(settings, sleep=self.sleep)
        return FrogMLStorage(store=store, filesystem=LocalFileSystem()), store


def _attempt(runner: _Runner, op: Operation, source: Path) -> BaseException | str | None:
    """The upload on a watched thread: its error, None, or "hung"."""
    outcome: list[BaseException | None] = []
    storage, store = runner.storage(op.threads or 1, pinned=op.threads is not None)

    def run() -> None:
        try:
            runner._upload(storage, op, source)
        except Exception as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    worker = threading.Thread(target=run, name=f"multipart-op-{op.number}", daemon=True)
    worker.start()
    worker.join(HANG_LIMIT)
    store.close()
    return "hung" if worker.is_alive() else outcome[0]


def _run(emu: Emulator, root: Path, planned: MultipartOp) -> OpReport:
    op, report = planned.op, OpReport()
    runner = _Runner(emu, root, planned.parts)
    source = write_tree(root / op.entity / "src", op.files)
    for rule in op.rules:
        emu.faults.add(rule)
    emu.uploads.corrupt_parts(planned.hooks.get("corrupt_parts", 0))
    emu.uploads.merge_errors(planned.hooks.get("merge_errors", 0))
    error = _attempt(runner, op, source)
    for rule in op.rules:
        report.fired[rule.kind] += emu.faults.fired(rule)
    emu.faults.clear()
    emu.uploads.clear_hooks()  # unused hooks end with the operation
    emu.uploads.wait_merges()
    if error == "hung":
        report.hung = True
        report.problems.append("a hang")
        return report
    assert not isinstance(error, str)
    if op.expect is Expect.SUCCESS:
        report.outcome = "identical" if error is None else "unexpected"
        if error is not None:
            report.problems.append(f"failed under transient faults: {error!r}")
        else:
            report.problems += compare(emu, op, root / op.entity / "out", report)
    else:
        report.outcome = "clear_error" if isinstance(error, FrogMLError) else "unexpected"
        if error is None:
            report.problems.append("succeeded despite a permanent refusal")
        elif op.marker not in str(error) or "\n" in str(error):
            report.problems.append(f"not the server's message in one line: {error!r}")
        check_after_failure(emu, op, root / op.entity / "out", report)
        rerun = _attempt(runner, op, source)
        report.rerun = "identical" if rerun is None else "failed"
        if rerun is None:
            report.problems += compare(emu, op, root / op.entity / "out", report)
        else:
            report.problems.append(f"the rerun failed: {rerun!r}")
    if emu.uploads.parts_on_disk():
        report.problems.append(f"{emu.uploads.parts_on_disk()} parts left in the object store")
    return report


def test_multipart_uploads_end_identical_or_with_a_clear_error(
    emulator: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = int(os.environ.get("FROGML_FAULT_SEED") or DEFAULT_SEED)
    count = int(os.environ.get("FROGML_MULTIPART_OPS") or DEFAULT_OPS)
    rng = random.Random(seed)
    planned = [plan(rng, number) for number in range(count)]
    started = time.monotonic()
    reports = [_run(emulator, tmp_path, p) for p in planned]
    counts = emulator.counters.snapshot()
    fired: Counter[str] = Counter()
    for report in reports:
        fired.update(report.fired)
    figures = {
        "seed": seed,
        "operations": count,
        "expected": dict(Counter(p.op.expect.value for p in planned)),
        "faults_injected": sum(fired.values()),
        "faults_by_kind": dict(sorted(fired.items())),
        "parts_altered_in_transit": sum(p.hooks.get("corrupt_parts", 0) for p in planned),
        "merge_errors_injected": sum(p.hooks.get("merge_errors", 0) for p in planned),
        "outcomes": dict(Counter(r.outcome for r in reports)),
        "reruns": dict(Counter(r.rerun for r in reports if r.rerun)),
        "parts_sent_200": counts.count("multipart_part", 200),
        "merges_completed_202": counts.count("multipart_complete", 202),
        "token_deploys_201": counts.count("multipart_deploy", 201),
        "aborts_204": counts.count("multipart_abort", 204),
        "corrupted_files_accepted": sum(r.corrupt for r in reports),
        "half_published_versions": sum(r.half_published for r in reports),
        "hangs": sum(r.hung for r in reports),
        "problems": sum(len(r.problems) for r in reports),
        "seconds": round(time.monotonic() - started, 1),
    }
    with capsys.disabled():
        print("\nmultipart fault campaign:")
        for key, value in figures.items():
            print(f"  {key}: {value}")
    problems = [
        f"op {p.op.number} ({p.op.expect.value}, parts {p.parts}, hooks {p.hooks}, "
        f"rules {[(r.kind, r.method, r.path, r.times, r.status) for r in p.op.rules]}): {problem}"
        for p, report in zip(planned, reports, strict=True)
        for problem in report.problems
    ]
    assert not problems, f"seed {seed}:\n" + "\n".join(problems)
    assert figures["corrupted_files_accepted"] == 0
    assert figures["half_published_versions"] == 0
    assert figures["hangs"] == 0
    assert counts.count("multipart_deploy", 201) >= count  # multipart was really used


# -- a killed multipart upload ---------------------------------------------------------
_CHILD = """
import sys
from frogml import AuthConfig, FrogMLStorage
from frogml.domain.model.settings import TransferSettings
settings = TransferSettings(
    multipart_threshold=2 << 20, multipart_part_size=1 << 20, multipart_min_round_trip=0.0
)
storage = FrogMLStorage(AuthConfig.by_access_token(sys.argv[1], "test-token"), settings=settings)
storage.upload_dataset_version("ml-local", "data", sys.argv[2], version="1")
"""


def test_a_killed_multipart_upload_publishes_nothing_and_the_rerun_starts_afresh(
    emulator: Emulator, tmp_path: Path
) -> None:
    big = os.urandom(4 * _MIB + 7)
    source = write_tree(tmp_path / "src", {"big.bin": big, "small.txt": b"small"})
    emulator.uploads.hold_merges()  # the child waits in its status polls
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, emulator.url, str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOME": str(tmp_path / "home"), "FROGML_NO_CACHE": "1"},
    )
    if not emulator.uploads.wait_polled(1, timeout=60):
        child.kill()
        _, err = child.communicate(timeout=30)
        pytest.fail(f"the child never polled the merge: {err}")
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    emulator.uploads.release_merges()
    assert emulator.uploads.wait_merges()
    assert emulator.paths(REPO, f"datasets/data/{VERSION}") == []
    assert not any(p.endswith("big.bin") for p in emulator.paths(REPO))
    assert emulator.counters.snapshot().count("multipart_deploy") == 0
    assert emulator.uploads.pending() == 1  # the killed one, until its token expires

    emulator.uploads.advance(emulator.uploads.token_ttl + 1)
    op = Operation(
        number=0,
        direction="upload",
        kind="dataset",
        files={"big.bin": big, "small.txt": b"small"},
        dependency=None,
        threads=2,
        range_parts=1,
    )
    runner = _Runner(emulator, tmp_path, parts=3)
    storage, store = runner.storage(threads=2)
    try:
        storage.upload_dataset_version(REPO, "data", str(source), version=VERSION)
    finally:
        store.close()
    op_files = {f"datasets/data/{VERSION}/dataset/{k}": v for k, v in op.files.items()}
    assert {p: emulator.read_bytes(REPO, p) for p in op_files} == op_files
    assert emulator.counters.snapshot().count("multipart_create", 200) == 2
    assert emulator.uploads.pending() == 0  # the killed upload expired and was swept
    assert emulator.uploads.parts_on_disk() == 0
