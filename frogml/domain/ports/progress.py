"""The progress port: what a transfer reports while it runs."""

from __future__ import annotations

from typing import Protocol

__all__ = ["NULL_EVENTS", "TransferEvents"]


class TransferEvents(Protocol):
    """Receives progress of one transfer. Adapters may call it from several threads."""

    def started(self, *, files: int, total_bytes: int) -> None:
        """The transfer of ``files`` files holding ``total_bytes`` bytes begins."""
        ...

    def advanced(self, nbytes: int) -> None:
        """``nbytes`` more bytes were sent, received, or found already present."""
        ...

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        """One file is complete; ``transferred`` is false when no bytes had to move."""
        ...

    def finished(self) -> None:
        """The transfer ended (successfully or not)."""
        ...


class _NullEvents:
    def started(self, *, files: int, total_bytes: int) -> None:
        pass

    def advanced(self, nbytes: int) -> None:
        pass

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        pass

    def finished(self) -> None:
        pass


NULL_EVENTS: TransferEvents = _NullEvents()
