"""What one campaign operation does: its files and the faults armed for it (seeded, pure).

A *transient* operation arms faults that fire at most ``FIRINGS_PER_TARGET`` times on
each request target, fewer than the client's attempts, so it must succeed; among them
the emulator's hostile mode: answers trickled a byte at a time (a stall), an HTML page
in place of a file, a commit or deploy that took effect but answers an error (a lie).
A *permanent* operation arms one refusal (400/401/403, or 404 on a file) that fires on
every matching request; an *outage* arms one transient fault that never stops firing;
a *hostile* operation arms one hostile fault that never stops: an endless trickle, HTML
for a file, a manifest of extreme depth or with terminal escapes, an error message of
terminal escapes, headers that never end, an upload barely read. All of these must
fail with a clear error and publish nothing.
"""

from __future__ import annotations

import enum
import random
import re
from dataclasses import dataclass, field
from typing import Any

from emulator import FaultKind, FaultRule

__all__ = [
    "FIRINGS_PER_TARGET",
    "MAX_ATTEMPTS",
    "RANGE_THRESHOLD",
    "STALL_SECONDS",
    "STALL_WINDOW",
    "Expect",
    "Operation",
    "Target",
    "plan_operation",
]

MAX_ATTEMPTS = 6
FIRINGS_PER_TARGET = 3  # < MAX_ATTEMPTS, leaving room for an unlucky slow answer
STALL_SECONDS = 2.0  # longer than the client's read timeout (1 s) and its stall window
STALL_WINDOW = (4096, 0.5)  # the client's stall rule: fewer than 4 KiB in 0.5 s
TRICKLE_SECONDS = 0.05  # the hostile trickle: one byte every 50 ms, 20 B/s
SMALL_FILE = 10 * 1024  # below it the client sends bytes without a checksum deploy
RANGE_THRESHOLD = 512 * 1024
_KIB, _MIB = 1024, 1024 * 1024
_TRANSIENT = (500, 502, 503, 504, 408, 429)
_JSON_CUT = 64  # cut JSON answers within their first bytes
# More than the truncated answers one file can get: each of (at most 3) ranges retries.
_MOST_ANSWERS = 3 * MAX_ATTEMPTS + 1


class Expect(enum.Enum):
    SUCCESS = "success"
    PERMANENT = "permanent"
    OUTAGE = "outage"
    HOSTILE = "hostile"


@dataclass(frozen=True)
class Target:
    """One kind of request of an operation, by the regular expression of its path."""

    role: str  # start | put | commit | manifest | get
    method: str
    path: str
    body: int = 0  # file bytes of the request (put) or answer (get)


@dataclass
class Operation:
    number: int
    direction: str  # upload | download
    kind: str  # model | dataset
    files: dict[str, bytes]
    dependency: bytes | None  # a model's requirements.txt
    threads: int | None  # file transfers at once, pinned; None: adaptive (the default)
    range_parts: int  # > 1: files of at least RANGE_THRESHOLD arrive as concurrent ranges
    expect: Expect = Expect.SUCCESS
    rules: list[FaultRule] = field(default_factory=list)
    marker: str = ""  # the message of a permanent fault

    @property
    def entity(self) -> str:
        return f"op{self.number}"

    def targets(self) -> list[Target]:
        files = dict(self.files)
        if self.dependency is not None:
            files["requirements.txt"] = self.dependency
        ends = [
            (f"/{re.escape(rel.rsplit('/', 1)[-1])}$", len(data)) for rel, data in files.items()
        ]
        if self.direction == "upload":
            return [
                Target("start", "POST", "start-transaction"),
                *(Target("put", "PUT", path, size) for path, size in ends),
                Target("commit", "PUT", "/entity-manifest/"),
            ]
        return [
            # A download reads the manifest, never the version's properties.
            Target("manifest", "GET", "/entity-manifest/"),
            *(Target("get", "GET", path, size) for path, size in ends),
        ]


def _files(rng: random.Random, number: int, reusable: list[bytes]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    large = rng.random() < 0.35
    for index in range(rng.randint(1, 5)):
        folder = rng.choice(("", "", "sub/", "sub/deeper/"))
        if large:
            size, large = rng.randint(1 * _MIB, 3 * _MIB), False
        elif rng.random() < 0.5:
            size = rng.randint(1, SMALL_FILE - 1)
        else:
            size = rng.randint(SMALL_FILE, 256 * _KIB)
        if size >= SMALL_FILE and reusable and rng.random() < 0.15:
            data = rng.choice(reusable)  # the server holds it: a checksum deploy links it
        else:
            data = rng.randbytes(size)
            if size >= SMALL_FILE:
                reusable.append(data)
        files[f"{folder}f{index}_{number}.bin"] = data
    del reusable[:-20]
    return files


def _rule(kind: FaultKind, target: Target, times: int | None, **fields: Any) -> FaultRule:
    return FaultRule(kind=kind, method=target.method, path=target.path, times=times, **fields)


def _transient(rng: random.Random, target: Target, kind: str, times: int) -> FaultRule:
    if kind == "fail":
        status = rng.choice(_TRANSIENT)
        wait = str(rng.randint(2, 90)) if status in (429, 503) and rng.random() < 0.6 else None
        return _rule("fail", target, times, status=status, retry_after=wait)
    if kind in ("stall", "stall_mid"):
        middle = kind == "stall_mid" and target.body > 1
        after = rng.randrange(1, target.body) if middle else 0
        return _rule("stall", target, times, seconds=STALL_SECONDS, after_bytes=after)
    if kind == "reset_request":
        limit = max(target.body, 1) if target.role == "put" else 200
        return _rule("reset_request", target, times, after_bytes=rng.randrange(limit))
    if kind == "corrupt":
        return _rule("corrupt", target, times, offset=rng.randrange(target.body))
    if kind == "trickle":
        start = rng.randrange(max(target.body, 1)) if target.role == "get" else rng.randrange(40)
        return _rule("trickle", target, times, seconds=TRICKLE_SECONDS, after_bytes=start)
    if kind == "html":
        return _rule("html", target, times)
    if kind == "lie":  # took effect, answered an error: a commit is settled by reading back
        statuses = (404, 500, 502) if target.role == "commit" else (500, 502)
        return _rule("lie", target, times, status=rng.choice(statuses))
    cut = rng.randrange(target.body) if target.role == "get" else rng.randrange(_JSON_CUT)
    assert kind in ("reset_response", "truncate")
    return _rule(
        "reset_response" if kind == "reset_response" else "truncate", target, times, after_bytes=cut
    )


def _kinds(target: Target) -> dict[str, int]:
    """Fault kinds that fit a target, with their weights (stalls cost real seconds)."""
    kinds = {"fail": 4, "stall": 1, "reset_response": 2, "trickle": 1}
    if target.role in ("start", "put", "commit"):
        kinds["reset_request"] = 3
    if target.role in ("start", "manifest", "get"):
        kinds["truncate"] = 2
    if target.role == "get":
        kinds |= {"corrupt": 3, "stall_mid": 1, "truncate": 3, "html": 1}
    if target.role in ("put", "commit"):
        kinds["lie"] = 2
    return kinds


def _arm_transient(rng: random.Random, op: Operation, targets: list[Target]) -> None:
    for target in rng.sample(targets, k=min(len(targets), rng.randint(1, 3))):
        kinds = _kinds(target)
        budget = FIRINGS_PER_TARGET
        chosen = rng.sample(list(kinds), k=rng.randint(1, 2), counts=list(kinds.values()))
        for kind in dict.fromkeys(chosen):
            slow = kind.startswith("stall") or kind == "trickle"
            times = 1 if slow else rng.randint(1, min(2, budget))
            op.rules.append(_transient(rng, target, kind, times))
            budget -= times
            if budget <= 0:
                break


def _arm_permanent(rng: random.Random, op: Operation, targets: list[Target]) -> None:
    target = rng.choice(targets)
    statuses = (400, 401, 403, 404) if target.role in ("put", "get") else (400, 401, 403)
    op.marker = f"campaign refusal {op.number}"
    op.rules.append(_rule("fail", target, None, status=rng.choice(statuses), message=op.marker))


def _arm_outage(rng: random.Random, op: Operation, targets: list[Target]) -> None:
    target = rng.choice(targets)
    choice = rng.random()
    if target.role == "get" and choice < 0.5 and target.body >= _MOST_ANSWERS:
        # Each answer brings a few more bytes, never enough: the partial file is kept.
        most = target.body // _MOST_ANSWERS
        rule = _rule("truncate", target, None, after_bytes=rng.randint(1, most))
    elif target.role == "put" and choice < 0.5:
        rule = _rule("reset_request", target, None, after_bytes=rng.randrange(target.body))
    elif target.role == "get" and choice < 0.75:
        rule = _rule("reset_response", target, None, after_bytes=0)
    else:
        rule = _rule("fail", target, None, status=rng.choice((500, 502, 503, 504)))
    op.rules.append(rule)


def _arm_hostile(rng: random.Random, op: Operation, targets: list[Target]) -> None:
    """One hostile fault that never stops; the operation must end, in bounded time,
    with a clear error that shows no raw terminal escape (or, for a trickle of a body
    short enough to end within one stall window, with the right bytes)."""
    target = rng.choice(targets)
    choices = ["trickle", "escapes", "trickle_headers"]
    if target.role == "get":
        choices.append("html")
    if target.role == "put":
        choices.append("slow_read")
    if target.role == "manifest":
        choices += ["deep_manifest", "escaped_manifest"]
    kind = rng.choice(choices)
    rule: FaultRule
    if kind == "trickle":
        rule = _rule("trickle", target, None, seconds=TRICKLE_SECONDS)
    elif kind == "trickle_headers":  # the answer begins, its headers never end
        rule = _rule("trickle_headers", target, None, seconds=TRICKLE_SECONDS)
    elif kind == "slow_read":  # the request's body read 64 bytes at a time
        rule = _rule("slow_read", target, None, seconds=TRICKLE_SECONDS, chunk=64)
    elif kind == "escapes":  # an error message made of escape sequences
        rule = _rule("escapes", target, None, status=rng.choice((400, 403, 404, 500)))
    elif kind == "escaped_manifest":  # escapes in the format, a bidi override in a name
        rule = _rule("escapes", target, None)
    elif kind == "deep_manifest":
        rule = _rule("deep_manifest", target, None, depth=rng.choice((40_000, 500_000)))
    else:
        rule = _rule("html", target, None)
    op.rules.append(rule)


def plan_operation(rng: random.Random, number: int, reusable: list[bytes]) -> Operation:
    """A random operation; its faults are armed after the setup upload of a download."""
    kind = rng.choice(("model", "dataset"))
    op = Operation(
        number=number,
        direction=rng.choice(("upload", "download")),
        kind=kind,
        files=_files(rng, number, reusable),
        dependency=rng.randbytes(rng.randint(1, 200))
        if kind == "model" and rng.random() < 0.3
        else None,
        threads=rng.choice((None, 1, 2, 4)),
        range_parts=rng.choice((1, 3)),
    )
    targets = op.targets()
    draw = rng.random()
    if draw < 0.12:
        op.expect = Expect.PERMANENT
        _arm_permanent(rng, op, targets)
    elif draw < 0.20:
        op.expect = Expect.OUTAGE
        _arm_outage(rng, op, targets)
    elif draw < 0.28:
        op.expect = Expect.HOSTILE
        _arm_hostile(rng, op, targets)
    else:
        _arm_transient(rng, op, targets)
    return op
