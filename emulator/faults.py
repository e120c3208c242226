"""Fault injection: rules that match method + path and fire a given number of times.

A rule's `path` is a regular expression searched (`re.search`) in the raw request
target, query string included (`/artifactory/ml-local/a.bin`, `...?list&deep=1`).
`method` is a regular expression matched in full, case-insensitively; `*` is any.
`times=None` fires forever.
"""

from __future__ import annotations

import itertools
import re
import threading
from typing import Literal

import msgspec

__all__ = ["FaultKind", "FaultRule", "Faults", "Fired"]

FaultKind = Literal[
    "fail",
    "reset_request",
    "reset_response",
    "stall",
    "truncate",
    "corrupt",
    # hostile mode (emulator/hostile.py): a server that attacks its client
    "trickle",
    "html",
    "lie",
    "deep_manifest",
    "escapes",
    "trickle_headers",
    "slow_read",
    "rewrite_header",
]


class FaultRule(msgspec.Struct, kw_only=True):
    """One rule; also the JSON body of `POST /_emulator/faults`."""

    kind: FaultKind
    method: str = "*"
    path: str = ".*"
    times: int | None = 1
    status: int = 500  # fail, lie, escapes (on an answer that is not a manifest)
    message: str | None = None  # fail, lie: error message (default: a generic one)
    retry_after: str | None = None  # fail: Retry-After header value
    # reset_request, reset_response, truncate; stall (mid-body if > 0); trickle (sent
    # at once before the trickle starts)
    after_bytes: int = 0
    # stall; trickle, trickle_headers, slow_read: the pause before each `chunk` bytes
    seconds: float = 0.0
    chunk: int = 1  # trickle, slow_read
    offset: int = 0  # corrupt: which byte of the body to flip
    depth: int = 40_000  # deep_manifest: how many times `a/` is repeated
    header: str = ""  # rewrite_header: which answer header
    value: str | None = None  # rewrite_header: its new value (None: the header is dropped)
    id: int = 0
    fired: int = 0

    def matches(self, method: str, target: str) -> bool:
        pattern = ".*" if self.method == "*" else self.method
        return bool(re.fullmatch(pattern, method, re.IGNORECASE)) and bool(
            re.search(self.path, target)
        )


class Fired(msgspec.Struct, kw_only=True):
    """The rules (at most one per kind) that fire on one request."""

    fail: FaultRule | None = None
    reset_request: FaultRule | None = None
    reset_response: FaultRule | None = None
    stall: FaultRule | None = None
    truncate: FaultRule | None = None
    corrupt: FaultRule | None = None
    trickle: FaultRule | None = None
    html: FaultRule | None = None
    lie: FaultRule | None = None
    deep_manifest: FaultRule | None = None
    escapes: FaultRule | None = None
    trickle_headers: FaultRule | None = None
    slow_read: FaultRule | None = None
    rewrite_header: FaultRule | None = None

    @property
    def stalls_mid_body(self) -> bool:
        return self.stall is not None and self.stall.after_bytes > 0

    @property
    def alters_body(self) -> bool:
        return bool(
            self.reset_response
            or self.truncate
            or self.corrupt
            or self.stalls_mid_body
            or self.trickle
        )


class Faults:
    """Thread-safe rule list; `take` consumes one firing of each matching kind."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._rules: list[FaultRule] = []
        self._fired: dict[int, int] = {}  # by rule id, kept after a rule is used up
        self._ids = itertools.count(1)

    def add(self, rule: FaultRule) -> FaultRule:
        re.compile(rule.path)  # fail now, in the test, on a bad pattern
        if rule.times is not None and rule.times < 1:
            raise ValueError("times must be at least 1 (or None for always)")
        if rule.kind == "rewrite_header" and (
            not rule.header.strip() or rule.header.lower() == "content-length"
        ):
            raise ValueError("rewrite_header needs a header name other than Content-Length")
        with self._lock:
            rule.id = next(self._ids)
            self._rules.append(rule)
        return rule

    def fail(
        self,
        method: str,
        path: str,
        *,
        status: int = 500,
        times: int | None = 1,
        retry_after: str | int | None = None,
        message: str | None = None,
    ) -> FaultRule:
        """Answer `status` with an error body instead of handling the request."""
        after = None if retry_after is None else str(retry_after)
        return self.add(
            FaultRule(
                kind="fail",
                method=method,
                path=path,
                status=status,
                times=times,
                retry_after=after,
                message=message,
            )
        )

    def reset_request(
        self, method: str, path: str, *, after_bytes: int = 0, times: int | None = 1
    ) -> FaultRule:
        """Reset the connection once `after_bytes` of the request body were read."""
        return self.add(
            FaultRule(
                kind="reset_request", method=method, path=path, after_bytes=after_bytes, times=times
            )
        )

    def reset_response(
        self, method: str, path: str, *, after_bytes: int = 0, times: int | None = 1
    ) -> FaultRule:
        """Send the headers and `after_bytes` of the body, then reset the connection."""
        return self.add(
            FaultRule(
                kind="reset_response",
                method=method,
                path=path,
                after_bytes=after_bytes,
                times=times,
            )
        )

    def stall(
        self,
        method: str,
        path: str,
        *,
        seconds: float,
        after_bytes: int = 0,
        times: int | None = 1,
    ) -> FaultRule:
        """Wait `seconds` (cut short by shutdown) after reading the request, before answering;
        with `after_bytes` > 0, after sending that many bytes of the answer's body instead."""
        return self.add(
            FaultRule(
                kind="stall",
                method=method,
                path=path,
                seconds=seconds,
                after_bytes=after_bytes,
                times=times,
            )
        )

    def truncate(
        self, method: str, path: str, *, after_bytes: int, times: int | None = 1
    ) -> FaultRule:
        """Announce the full Content-Length, send `after_bytes`, then close cleanly."""
        return self.add(
            FaultRule(
                kind="truncate", method=method, path=path, after_bytes=after_bytes, times=times
            )
        )

    def corrupt(
        self, method: str, path: str, *, offset: int = 0, times: int | None = 1
    ) -> FaultRule:
        """Flip (xor 0xFF) the body byte at `offset` (the last one if the body is shorter)."""
        return self.add(
            FaultRule(kind="corrupt", method=method, path=path, offset=offset, times=times)
        )

    def trickle(
        self,
        method: str,
        path: str,
        *,
        seconds: float,
        chunk: int = 1,
        after_bytes: int = 0,
        times: int | None = 1,
    ) -> FaultRule:
        """Send `after_bytes` of the answer's body, then `chunk` bytes every `seconds`
        (a server holding its client with a trickle; cut short by shutdown)."""
        return self.add(
            FaultRule(
                kind="trickle",
                method=method,
                path=path,
                seconds=seconds,
                chunk=chunk,
                after_bytes=after_bytes,
                times=times,
            )
        )

    def html(self, method: str, path: str, *, times: int | None = 1) -> FaultRule:
        """Answer 200 with an HTML sign-in page (a proxy's) instead of handling the request."""
        return self.add(FaultRule(kind="html", method=method, path=path, times=times))

    def lie(
        self,
        method: str,
        path: str,
        *,
        status: int = 404,
        message: str | None = None,
        times: int | None = 1,
    ) -> FaultRule:
        """Handle the request (a commit publishes), then answer `status` as if it failed."""
        return self.add(
            FaultRule(
                kind="lie", method=method, path=path, status=status, message=message, times=times
            )
        )

    def deep_manifest(self, path: str, *, depth: int = 40_000, times: int | None = 1) -> FaultRule:
        """Answer a manifest read with one file at `a/` x `depth` + `x`."""
        return self.add(
            FaultRule(kind="deep_manifest", method="GET", path=path, depth=depth, times=times)
        )

    def escapes(
        self, method: str, path: str, *, status: int = 500, times: int | None = 1
    ) -> FaultRule:
        """Terminal escapes and bidi overrides: in a manifest's model format and first file
        name, or, for any other request, in an error message answered with `status`
        instead of handling it (as `fail` does)."""
        return self.add(
            FaultRule(kind="escapes", method=method, path=path, status=status, times=times)
        )

    def trickle_headers(
        self, method: str, path: str, *, seconds: float, times: int | None = 1
    ) -> FaultRule:
        """Begin the answer (status line), then send its headers one byte every
        `seconds`, never ending them (a server holding its client before any body)."""
        return self.add(
            FaultRule(
                kind="trickle_headers", method=method, path=path, seconds=seconds, times=times
            )
        )

    def slow_read(
        self, method: str, path: str, *, seconds: float, chunk: int = 1024, times: int | None = 1
    ) -> FaultRule:
        """Read the request's body `chunk` bytes every `seconds` and never answer (a
        server holding an upload by barely reading it)."""
        return self.add(
            FaultRule(
                kind="slow_read",
                method=method,
                path=path,
                seconds=seconds,
                chunk=chunk,
                times=times,
            )
        )

    def rewrite_header(
        self,
        method: str,
        path: str,
        *,
        header: str,
        value: str | None = None,
        times: int | None = 1,
    ) -> FaultRule:
        """Handle the request, then answer with `header` set to `value`, or without it
        (None): a proxy that drops or mangles a header, as some strip Content-Range."""
        return self.add(
            FaultRule(
                kind="rewrite_header",
                method=method,
                path=path,
                header=header,
                value=value,
                times=times,
            )
        )

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return [msgspec.structs.replace(r) for r in self._rules]

    def take(self, method: str, target: str) -> Fired:
        fired = Fired()
        with self._lock:
            for rule in list(self._rules):
                if getattr(fired, rule.kind) is not None or not rule.matches(method, target):
                    continue
                setattr(fired, rule.kind, msgspec.structs.replace(rule))
                rule.fired += 1
                self._fired[rule.id] = rule.fired
                if rule.times is not None and rule.fired >= rule.times:
                    self._rules.remove(rule)
            self._changed.notify_all()
        return fired

    def fired(self, rule: FaultRule) -> int:
        """How many requests this rule has fired on so far."""
        with self._lock:
            return self._fired.get(rule.id, 0)

    def wait_fired(self, rule: FaultRule, count: int = 1, timeout: float = 30.0) -> bool:
        """Block until `rule` fired `count` times (e.g. a stall is in effect); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self._fired.get(rule.id, 0) >= count, timeout)
