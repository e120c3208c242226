"""Request counters that tests read and reset: by kind, by kind and status, and bytes."""

from __future__ import annotations

import threading

import msgspec

__all__ = ["Counters", "CountersSnapshot"]


class CountersSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """`statuses[kind][status]`; status 0 means the emulator dropped the connection."""

    requests: dict[str, int]
    statuses: dict[str, dict[int, int]]
    bytes_received: int  # file bytes read from deploy bodies
    bytes_sent: int  # file bytes written by downloads

    def count(self, kind: str, status: int | None = None) -> int:
        if status is None:
            return self.requests.get(kind, 0)
        return self.statuses.get(kind, {}).get(status, 0)


class Counters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[str, int] = {}
        self._statuses: dict[str, dict[int, int]] = {}
        self._received = 0
        self._sent = 0

    def record(self, kind: str, status: int) -> None:
        with self._lock:
            self._requests[kind] = self._requests.get(kind, 0) + 1
            by_status = self._statuses.setdefault(kind, {})
            by_status[status] = by_status.get(status, 0) + 1

    def received(self, n: int) -> None:
        with self._lock:
            self._received += n

    def sent(self, n: int) -> None:
        with self._lock:
            self._sent += n

    def snapshot(self) -> CountersSnapshot:
        with self._lock:
            return CountersSnapshot(
                requests=dict(self._requests),
                statuses={k: dict(v) for k, v in self._statuses.items()},
                bytes_received=self._received,
                bytes_sent=self._sent,
            )

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._statuses.clear()
            self._received = self._sent = 0
