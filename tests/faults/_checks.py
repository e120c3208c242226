"""What a campaign operation must leave behind, checked against the emulator and the disk."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from emulator import Emulator, FaultRule
from frogml.adapters.cli._terminal import shown_line
from tests.faults._plan import MAX_ATTEMPTS, RANGE_THRESHOLD, SMALL_FILE, Expect, Operation
from tests.integration.helpers import files_under

__all__ = [
    "PARTIAL_SUFFIX",
    "REPO",
    "VERSION",
    "OpReport",
    "check_after_failure",
    "check_failure",
    "check_honoured",
    "compare",
]

REPO = "ml-local"
VERSION = "1"
PARTIAL_SUFFIX = ".frogml-partial"


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
    foreign_partials: int = 0  # partial files kept for a resume that are not a prefix
    half_published: int = 0  # failed uploads that left anything in the version folder
    seconds: float = 0.0  # the operation's first attempt, faults armed
    limit: float = 0.0  # what its settings allow it (see Runner.limit)
    hung: bool = False  # it ran past its limit + 10 s
    problems: list[str] = field(default_factory=list)


def compare(emu: Emulator, op: Operation, target: Path, report: OpReport) -> list[str]:
    """The published version (upload) or the target folder (download), exactly."""
    if op.direction == "upload":
        top = _top(op)
        found = {p: emu.read_bytes(REPO, p) for p in emu.paths(REPO, top)}
        expected = {f"{top}/{rel}": data for rel, data in _layout(op, True).items()}
        manifest = f"{top}/{op.kind}-manifest.json"
        expected[manifest] = found.get(manifest, b"<no manifest>")
    else:
        found = files_under(target)
        expected = _layout(op, False)
    report.corrupt += sum(1 for p, data in found.items() if expected.get(p, data) != data)
    if found == expected:
        return []
    return [f"{op.direction}ed files differ: {sorted(set(found) ^ set(expected)) or 'bytes'}"]


def check_failure(emu: Emulator, op: Operation, error: BaseException, report: OpReport) -> None:
    """A permanent refusal: the server's message, no retry. An outage: bounded attempts.
    A hostile server: an error a terminal may show (escapes visible, the line cut)."""
    if op.expect is Expect.HOSTILE:
        _check_shown(op, error, report)
        return
    (rule,) = op.rules
    fired = emu.faults.fired(rule)
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


def check_after_failure(emu: Emulator, op: Operation, target: Path, report: OpReport) -> None:
    """Nothing half-published; no wrong bytes under a final name."""
    if op.direction == "upload":
        left = emu.paths(REPO, _top(op))
        if left:
            report.half_published += 1
            report.problems.append(f"a failed upload published {left}")
        return
    expected = _layout(op, False)
    for rel, data in files_under(target).items():
        if rel.endswith(PARTIAL_SUFFIX):
            _check_partial(rel, data, expected, report)
        elif expected.get(rel) != data:
            report.corrupt += 1
            report.problems.append(f"a failed download left {rel} with wrong bytes")


def _check_partial(rel: str, data: bytes, expected: dict[str, bytes], report: OpReport) -> None:
    """A partial file kept for a resume holds the first bytes of its file, nothing else
    (no HTML page, no refused answer)."""
    folder, _, name = rel.rpartition("/")
    final = name.removeprefix(".").rsplit(".", 2)[0]  # .{name}.{sha16}.frogml-partial
    original = expected.get(f"{folder}/{final}" if folder else final)
    if original is None or not original.startswith(data):
        report.foreign_partials += 1
        report.problems.append(f"a failed download kept {rel} with foreign bytes")


# Raw controls (ESC, BEL, ...), C1 controls and bidi/zero-width format characters.
_RAW = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _check_shown(op: Operation, error: BaseException, report: OpReport) -> None:
    line = shown_line(str(error))
    if _RAW.search(line):
        report.problems.append(f"a terminal would get raw escapes: {line!r}")
    (rule,) = op.rules
    if rule.kind == "escapes" and "\\x1b" not in line and "\\u202e" not in line:
        report.problems.append(f"the server's escapes are not shown as such: {line!r}")
    if rule.kind == "deep_manifest" and emu_fired_more_than_once(report):
        report.problems.append("a manifest of extreme depth was read more than once")


def emu_fired_more_than_once(report: OpReport) -> bool:
    return report.fired["deep_manifest"] > 1


def check_honoured(emu: Emulator, op: Operation, delays: list[float], report: OpReport) -> None:
    """Every Retry-After that fired was waited for (checksum deploys fall back at once)."""
    wanted: Counter[float] = Counter()
    for rule in op.rules:
        put_of_big_file = rule.method == "PUT" and "entity-manifest" not in rule.path
        if rule.retry_after is None or (put_of_big_file and _size_of(op, rule) >= SMALL_FILE):
            continue
        if sum(other.path == rule.path for other in op.rules) > 1:
            continue  # a reset of the same answer may hide the 429/503 from the client
        wanted[float(rule.retry_after)] += emu.faults.fired(rule)
    waited = Counter(delays)
    for seconds, count in wanted.items():
        if waited[seconds] < count:
            report.problems.append(f"Retry-After {seconds:g} was not honoured")
    report.retry_after_honoured = sum(min(waited[s], c) for s, c in wanted.items())


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
