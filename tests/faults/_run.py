"""Running one campaign operation against the emulator and checking what it left behind."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RangePolicy, RetryPolicy
from adapters.filesystem import LocalFileSystem
from domain.ports.credentials import Credentials
from frogml import FrogMLError, FrogMLStorage
from tests.emulator import Emulator, FaultRule
from tests.faults._plan import MAX_ATTEMPTS, RANGE_THRESHOLD, SMALL_FILE, Expect, Operation
from tests.integration.helpers import MODEL_FORMAT, files_under, write_tree

__all__ = ["CountingSleep", "OpReport", "Runner"]

REPO = "ml-local"
VERSION = "1"
READ_TIMEOUT = 1.0
PARTIAL_SUFFIX = ".frogml-partial"


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


@dataclass
class OpReport:
    """What one operation did; ``problems`` lists every broken promise."""

    outcome: str = ""  # identical | clear_error | unexpected
    fired: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    retry_after_honoured: int = 0
    rerun: str = ""  # after a failure: identical | failed
    rerun_checksum_hits: int = 0
    rerun_ranged: int = 0
    corrupt: int = 0  # files under a final name whose bytes differ from the source
    half_published: int = 0  # failed uploads that left anything in the version folder
    problems: list[str] = field(default_factory=list)


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

    def storage(self, threads: int, range_parts: int = 1) -> tuple[FrogMLStorage, ArtifactoryStore]:
        credentials = Credentials(url=self.emu.url, access_token="test-token", source="tests")
        retry = RetryPolicy(
            max_attempts=MAX_ATTEMPTS, backoff_base=0.05, backoff_cap=1.0, time_budget=600.0
        )
        settings = ArtifactorySettings(
            credentials=credentials,
            connect_timeout=5.0,
            read_timeout=READ_TIMEOUT,
            thread_count=threads,
            retry=retry,
            ranges=RangePolicy(threshold=RANGE_THRESHOLD, parts=range_parts),
        )
        store = ArtifactoryStore(settings, sleep=self.sleep)
        return FrogMLStorage(store=store, filesystem=LocalFileSystem()), store

    # -- the operation --------------------------------------------------------------
    def run(self, op: Operation) -> OpReport:
        report = OpReport()
        folder = self.root / op.entity
        source = write_tree(folder / "src", op.files)
        storage, store = self.storage(op.threads, op.range_parts)
        try:
            if op.direction == "download":
                self._upload(storage, op, source)  # the version to fetch, without faults
            for rule in op.rules:
                self.emu.faults.add(rule)
            self.sleep.take()
            error = self._attempt(storage, op, source, report)
            delays = self.sleep.take()
            report.retries = len(delays)
            for rule in op.rules:
                report.fired[_fault_name(rule)] += self.emu.faults.fired(rule)
            self.emu.faults.clear()
            self._judge(op, error, report)
            if error is None:
                self._check_honoured(op, delays, report)
            else:
                self._check_after_failure(op, report)
                self._rerun(storage, op, source, report)
        finally:
            self.emu.faults.clear()
            store.close()
        return report

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

    # -- the checks -----------------------------------------------------------------
    def _judge(self, op: Operation, error: BaseException | None, report: OpReport) -> None:
        if op.expect is Expect.SUCCESS:
            report.outcome = "identical" if error is None else "unexpected"
            if error is not None:
                report.problems.append(f"failed under transient faults: {error!r}")
            else:
                report.problems += self._compare(op, report)
            return
        report.outcome = "clear_error" if error is not None else "unexpected"
        if error is None:
            report.problems.append(f"succeeded despite a {op.expect.value} fault")
            return
        (rule,) = op.rules
        fired = self.emu.faults.fired(rule)
        checksum_deploy = rule.method == "PUT" and _size_of(op, rule) >= SMALL_FILE
        ranges = _ranges(op, rule)
        if op.expect is Expect.PERMANENT:
            if op.marker not in str(error):
                report.problems.append(f"the server's message is missing from: {error}")
            if fired > ranges + checksum_deploy:
                report.problems.append(f"a permanent refusal was tried {fired} times")
            return
        most = MAX_ATTEMPTS * ranges + checksum_deploy  # each range retries on its own
        if not MAX_ATTEMPTS <= fired <= most:
            report.problems.append(f"an outage was tried {fired} times, not {MAX_ATTEMPTS}")

    def _compare(self, op: Operation, report: OpReport) -> list[str]:
        """The published version (upload) or the target folder (download), exactly."""
        if op.direction == "upload":
            top = _top(op)
            found = {p: self.emu.read_bytes(REPO, p) for p in self.emu.paths(REPO, top)}
            expected = {f"{top}/{rel}": data for rel, data in _layout(op, True).items()}
            manifest = f"{top}/{op.kind}-manifest.json"
            expected[manifest] = found.get(manifest, b"<no manifest>")
        else:
            found = files_under(self._target(op))
            expected = _layout(op, False)
        report.corrupt += sum(1 for p, data in found.items() if expected.get(p, data) != data)
        if found == expected:
            return []
        return [f"{op.direction}ed files differ: {sorted(set(found) ^ set(expected)) or 'bytes'}"]

    def _check_after_failure(self, op: Operation, report: OpReport) -> None:
        """Nothing half-published; no wrong bytes under a final name."""
        if op.direction == "upload":
            left = self.emu.paths(REPO, _top(op))
            if left:
                report.half_published += 1
                report.problems.append(f"a failed upload published {left}")
            return
        expected = _layout(op, False)
        for rel, data in files_under(self._target(op)).items():
            if not rel.endswith(PARTIAL_SUFFIX) and expected.get(rel) != data:
                report.corrupt += 1
                report.problems.append(f"a failed download left {rel} with wrong bytes")

    def _check_honoured(self, op: Operation, delays: list[float], report: OpReport) -> None:
        """Every Retry-After that fired was waited for (checksum deploys fall back at once)."""
        wanted: Counter[float] = Counter()
        for rule in op.rules:
            put_of_big_file = rule.method == "PUT" and "entity-manifest" not in rule.path
            if rule.retry_after is None or (put_of_big_file and _size_of(op, rule) >= SMALL_FILE):
                continue
            if sum(other.path == rule.path for other in op.rules) > 1:
                continue  # a reset of the same answer may hide the 429/503 from the client
            wanted[float(rule.retry_after)] += self.emu.faults.fired(rule)
        waited = Counter(delays)
        for seconds, count in wanted.items():
            if waited[seconds] < count:
                report.problems.append(f"Retry-After {seconds:g} was not honoured")
        report.retry_after_honoured = sum(min(waited[s], c) for s, c in wanted.items())

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
            problems = self._compare(op, report)
        report.rerun = "failed" if problems else "identical"
        report.problems += problems


def storage_download(storage: FrogMLStorage, op: Operation, target: Path) -> None:
    if op.kind == "dataset":
        storage.download_dataset_version(REPO, op.entity, VERSION, str(target))
    else:
        storage.download_model_version(REPO, op.entity, VERSION, str(target))


def _top(op: Operation) -> str:
    return f"{op.kind}s/{op.entity}/{VERSION}"


def _layout(op: Operation, published: bool) -> dict[str, bytes]:
    """Files of the version: as published in the repository, or as downloaded."""
    area = f"{op.kind}/" if published else ""
    files = {f"{area}{rel}": data for rel, data in op.files.items()}
    if op.dependency is not None:
        files["dependencies/requirements.txt"] = op.dependency
    return files


def _size_of(op: Operation, rule: FaultRule) -> int:
    for target in op.targets():
        if target.path == rule.path:
            return target.body
    return 0


def _ranges(op: Operation, rule: FaultRule) -> int:
    """Requests one attempt sends to the rule's target at once (concurrent ranges)."""
    ranged = rule.method == "GET" and _size_of(op, rule) >= RANGE_THRESHOLD
    return op.range_parts if ranged else 1
