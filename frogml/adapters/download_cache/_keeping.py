"""A sink that gives its file to the cache as soon as it is committed.

The wrapped store opens and closes sinks itself, one per file it moves at a time, so
the cache cannot hold them until the end: it learns of each file at its commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeGuard

from frogml.domain.ports.filesystem import ClonableSink, FileSink, RangedFileSink

__all__ = ["keeping"]

Keep = Callable[[ClonableSink], None]


class _KeepingSink(FileSink):
    """Delegates to ``inner``; after a successful commit, ``keep`` gets the file."""

    def __init__(self, inner: FileSink, keep: Keep) -> None:
        self._inner = inner
        self._keep = keep

    @property
    def rel_path(self) -> str:
        return self._inner.rel_path

    @property
    def offset(self) -> int:
        return self._inner.offset

    def write(self, data: bytes) -> None:
        self._inner.write(data)

    def restart(self) -> None:
        self._inner.restart()

    def commit(self) -> None:
        self._inner.commit()
        if _clonable(self._inner):
            self._keep(self._inner)

    def close(self) -> None:
        self._inner.close()


class _KeepingRangedSink(_KeepingSink, RangedFileSink):
    """The same, for a sink that takes byte ranges (so the store still sees one)."""

    def __init__(self, inner: RangedFileSink, keep: Keep) -> None:
        super().__init__(inner, keep)
        self._ranged = inner

    def write_at(self, offset: int, data: bytes) -> None:
        self._ranged.write_at(offset, data)


# A check against a runtime protocol walks its members each time (about 50 us, twice
# per file downloaded): known per class instead.
_CLONABLE: dict[type, bool] = {}
_RANGED: dict[type, bool] = {}


def _clonable(sink: FileSink) -> TypeGuard[ClonableSink]:
    known = _CLONABLE.get(type(sink))
    if known is None:
        known = _CLONABLE[type(sink)] = isinstance(sink, ClonableSink)
    return known


def _ranged(sink: FileSink) -> TypeGuard[RangedFileSink]:
    known = _RANGED.get(type(sink))
    if known is None:
        known = _RANGED[type(sink)] = isinstance(sink, RangedFileSink)
    return known


def keeping(sink: FileSink, keep: Keep) -> FileSink:
    """``sink``, calling ``keep`` with it once committed; ranged when ``sink`` is."""
    if _ranged(sink):
        return _KeepingRangedSink(sink, keep)
    return _KeepingSink(sink, keep)
