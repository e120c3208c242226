"""Running one campaign operation against the emulator: setup, faults, attempt, rerun."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from emulator import Emulator, FaultRule
from frogml import FrogMLError, FrogMLStorage
from frogml.adapters.artifactory import (
    ArtifactorySettings,
    ArtifactoryStore,
    RangePolicy,
    RetryPolicy,
    StallPolicy,
)
from frogml.adapters.filesystem import LocalFileSystem
from frogml.domain.ports.credentials import Credentials
from tests.faults._checks import (
    REPO,
    VERSION,
    OpReport,
    check_after_failure,
    check_failure,
    check_honoured,
    compare,
)
from tests.faults._plan import (
    MAX_ATTEMPTS,
    RANGE_THRESHOLD,
    STALL_WINDOW,
    Expect,
    Operation,
)
from tests.integration.helpers import MODEL_FORMAT, write_tree

__all__ = ["CountingSleep", "Runner"]

READ_TIMEOUT = 1.0
HANG_MARGIN = 10.0  # "0 hangs": every operation ends within its limit plus this
# What one attempt of one request may take: the wait for the answer to begin, then a
# stall window to notice a stall (twice: the window may have begun just before), and
# a second for the bytes of the campaign's small files on loopback.
ATTEMPT_SECONDS = READ_TIMEOUT + 2 * STALL_WINDOW[1] + 1.0


class CountingSleep:
    """The client's sleep: records each delay (one per retry) and never waits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.delays.append(seconds)

    def take(self) -> list[float]:
        with self._lock:
            taken, self.delays = self.delays, []
        return taken


def _fault_name(rule: FaultRule) -> str:
    if rule.kind == "stall":
        return "stall_mid_body" if rule.after_bytes else "stall"
    if rule.kind == "fail":
        return f"fail_{rule.status}" + ("_retry_after" if rule.retry_after else "")
    return rule.kind


class Runner:
    """Runs operations on one emulator; sources and targets live below ``root``."""

    def __init__(self, emulator: Emulator, root: Path) -> None:
        self.emu = emulator
        self.root = root
        self.sleep = CountingSleep()

    def storage(
        self, threads: int, range_parts: int = 1, *, pinned: bool = False
    ) -> tuple[FrogMLStorage, ArtifactoryStore]:
        """A store with ``threads`` file transfers at first (exactly, ``pinned``)."""
        credentials = Credentials(url=self.emu.url, access_token="test-token", source="tests")
        retry = RetryPolicy(
            max_attempts=MAX_ATTEMPTS, backoff_base=0.05, backoff_cap=1.0, time_budget=600.0
        )
        settings = ArtifactorySettings(
            credentials=credentials,
            connect_timeout=5.0,
            read_timeout=READ_TIMEOUT,
            thread_count=threads,
            adaptive=not pinned,
            retry=retry,
            ranges=RangePolicy(threshold=RANGE_THRESHOLD, parts=range_parts),
            stall=StallPolicy(min_bytes=STALL_WINDOW[0], seconds=STALL_WINDOW[1]),
        )
        store = ArtifactoryStore(settings, sleep=self.sleep)
        return FrogMLStorage(store=store, filesystem=LocalFileSystem()), store

    # -- the operation --------------------------------------------------------------
    def run(self, op: Operation) -> OpReport:
        report = OpReport()
        folder = self.root / op.entity
        source = write_tree(folder / "src", op.files)
        storage, store = self.storage(
            op.threads or 1, op.range_parts, pinned=op.threads is not None
        )
        try:
            if op.direction == "download":
                self._upload(storage, op, source)  # the version to fetch, without faults
            for rule in op.rules:
                self.emu.faults.add(rule)
            self.sleep.take()
            error = self._timed(storage, op, source, report)
            delays = self.sleep.take()
            report.retries = len(delays)
            for rule in op.rules:
                report.fired[_fault_name(rule)] += self.emu.faults.fired(rule)
            self.emu.faults.clear()
            self._judge(op, error, report)
            if error is None:
                check_honoured(self.emu, op, delays, report)
            else:
                check_after_failure(self.emu, op, self._target(op), report)
                self._rerun(storage, op, source, report)
        finally:
            self.emu.faults.clear()
            store.close()
        return report

    @staticmethod
    def limit(op: Operation) -> float:
        """The longest the operation may take by its settings: every request it can
        send (a checksum deploy and a PUT per file, or each range of a file, plus the
        start, commit, manifest and the reads that settle or explain a failure), each
        with all its attempts, one after the other. Retry waits are not real here."""
        requests = 2 * len(op.targets()) * max(1, op.range_parts) + 4
        return requests * MAX_ATTEMPTS * ATTEMPT_SECONDS

    def _timed(
        self, storage: FrogMLStorage, op: Operation, source: Path, report: OpReport
    ) -> BaseException | None:
        """The attempt, watched: one that runs past its limit + 10 s is a hang."""
        report.limit = self.limit(op)
        outcome: list[BaseException | None] = []
        worker = threading.Thread(
            target=lambda: outcome.append(self._attempt(storage, op, source, report)),
            name=f"campaign-op-{op.number}",
            daemon=True,
        )
        started = time.monotonic()
        worker.start()
        worker.join(report.limit + HANG_MARGIN)
        report.seconds = time.monotonic() - started
        if worker.is_alive():
            report.hung = True
            report.problems.append(f"still running after {report.seconds:.0f} s: a hang")
            return TimeoutError("hung")
        return outcome[0]

    def _attempt(
        self, storage: FrogMLStorage, op: Operation, source: Path, report: OpReport
    ) -> BaseException | None:
        try:
            if op.direction == "upload":
                self._upload(storage, op, source)
            else:
                storage_download(storage, op, self._target(op))
        except Exception as exc:
            if not isinstance(exc, FrogMLError):
                report.problems.append(f"raised {type(exc).__name__}, not a FrogMLError: {exc}")
            return exc
        return None

    def _upload(self, storage: FrogMLStorage, op: Operation, source: Path) -> None:
        properties = {"op": str(op.number)}
        if op.kind == "dataset":
            storage.upload_dataset_version(
                REPO, op.entity, str(source), version=VERSION, properties=properties
            )
            return
        dependencies = None
        if op.dependency is not None:
            path = self.root / op.entity / "requirements.txt"
            path.write_bytes(op.dependency)
            dependencies = [str(path)]
        storage.upload_model_version(
            REPO,
            op.entity,
            str(source),
            MODEL_FORMAT,
            version=VERSION,
            properties=properties,
            dependencies_files_paths=dependencies,
        )

    def _target(self, op: Operation) -> Path:
        return self.root / op.entity / "out"

    def _judge(self, op: Operation, error: BaseException | None, report: OpReport) -> None:
        if op.expect is Expect.SUCCESS:
            report.outcome = "identical" if error is None else "unexpected"
            if error is not None:
                report.problems.append(f"failed under transient faults: {error!r}")
            else:
                report.problems += compare(self.emu, op, self._target(op), report)
            return
        if error is None and op.expect is Expect.HOSTILE and op.rules[0].kind == "trickle":
            # A body short enough to end within one stall window is slow, not stalled.
            report.outcome = "identical"
            report.problems += compare(self.emu, op, self._target(op), report)
            return
        report.outcome = "clear_error" if error is not None else "unexpected"
        if error is None:
            report.problems.append(f"succeeded despite a {op.expect.value} fault")
        else:
            check_failure(self.emu, op, error, report)

    def _rerun(self, storage: FrogMLStorage, op: Operation, source: Path, report: OpReport) -> None:
        """The same operation without faults completes, resuming what it can."""
        before = self.emu.counters.snapshot()
        error = self._attempt(storage, op, source, report)
        after = self.emu.counters.snapshot()
        report.rerun_checksum_hits = after.count("checksum_deploy", 201) - before.count(
            "checksum_deploy", 201
        )
        report.rerun_ranged = after.count("download", 206) - before.count("download", 206)
        if error is not None:
            problems = [f"the rerun failed: {error!r}"]
        else:
            problems = compare(self.emu, op, self._target(op), report)
        report.rerun = "failed" if problems else "identical"
        report.problems += problems


def storage_download(storage: FrogMLStorage, op: Operation, target: Path) -> None:
    if op.kind == "dataset":
        storage.download_dataset_version(REPO, op.entity, VERSION, str(target))
    else:
        storage.download_model_version(
            REPO, op.entity, VERSION, str(target), with_dependencies=True, with_code=True
        )
