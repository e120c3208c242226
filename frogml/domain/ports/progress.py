"""The progress port: what a transfer reports while it runs."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["NULL_EVENTS", "ReuseEvents", "TransferEvents", "TransferTally", "report_reused"]


class TransferEvents(Protocol):
    """Receives progress of one transfer. Adapters may call it from several threads."""

    def started(self, *, files: int, total_bytes: int) -> None:
        """The transfer of ``files`` files holding ``total_bytes`` bytes begins."""
        ...

    def advanced(self, nbytes: int) -> None:
        """``nbytes`` more bytes were sent or received (or, for events that are no
        :class:`ReuseEvents`, found already present: see :func:`report_reused`)."""
        ...

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        """One file is complete; ``transferred`` is false when no bytes had to move."""
        ...

    def finished(self) -> None:
        """The transfer ended (successfully or not)."""
        ...


@runtime_checkable
class ReuseEvents(TransferEvents, Protocol):
    """Optional: events that also hear of bytes which did not have to move, so that a
    speed counts only what moved."""

    def reused(self, nbytes: int) -> None:
        """``nbytes`` of the total need not move: the store already held them
        (deduplicated), a partial file from an earlier attempt held them (resumed), or a
        local cache did."""
        ...


def report_reused(events: TransferEvents, nbytes: int) -> None:
    """Tell ``events`` that ``nbytes`` did not move: through :meth:`ReuseEvents.reused`
    when it listens for that, else as :meth:`~TransferEvents.advanced` (a progress bar
    that knows no better still reaches its total)."""
    if isinstance(events, ReuseEvents):
        events.reused(nbytes)
    else:
        events.advanced(nbytes)


class _NullEvents:
    def started(self, *, files: int, total_bytes: int) -> None:
        pass

    def advanced(self, nbytes: int) -> None:
        pass

    def reused(self, nbytes: int) -> None:
        pass

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        pass

    def finished(self) -> None:
        pass


NULL_EVENTS: TransferEvents = _NullEvents()


class TransferTally:
    """Counts the bytes a transfer moved and those it reused, and passes every event on.

    Stores report from several threads; ``list.append`` is atomic, so no lock is needed
    (and the domain takes none).
    """

    def __init__(self, events: TransferEvents = NULL_EVENTS) -> None:
        self._events = events
        self._moved: list[int] = []
        self._reused: list[int] = []

    @property
    def bytes_moved(self) -> int:
        """Bytes sent or received."""
        return sum(self._moved)

    @property
    def bytes_reused(self) -> int:
        """Bytes that did not have to move (deduplicated, resumed or cached)."""
        return sum(self._reused)

    def started(self, *, files: int, total_bytes: int) -> None:
        self._events.started(files=files, total_bytes=total_bytes)

    def advanced(self, nbytes: int) -> None:
        self._moved.append(nbytes)
        self._events.advanced(nbytes)

    def reused(self, nbytes: int) -> None:
        self._reused.append(nbytes)
        report_reused(self._events, nbytes)

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        self._events.file_done(rel_path, transferred=transferred)

    def finished(self) -> None:
        self._events.finished()
