"""A big file's first stream opens the other streams' connections while it is measured,
when its first byte took long enough for a handshake to matter (not on a LAN)."""

from __future__ import annotations

import pytest

from frogml.adapters.artifactory._ranges import _Range, _Splitter
from frogml.adapters.artifactory.settings import RangePolicy

MIB = 1 << 20
ASKED = 100.0


class _Seen:
    def __init__(self) -> None:
        self.warmed: list[int] = []
        self.pieces: list[list[_Range]] = []
        self.grown: list[int] = []


def _splitter(seen: _Seen, most: int = 8) -> _Splitter:
    return _Splitter(
        RangePolicy(probe=2 * MIB, min_part=2 * MIB, target_rate=256e6),
        most,
        seen.pieces.append,
        seen.grown.append,
        seen.warmed.append,
    )


@pytest.mark.parametrize(
    ("first_byte_after", "warmed"),
    [(0.001, []), (0.009, []), (0.010, [7]), (0.040, [7])],
)
def test_connections_open_ahead_only_across_a_distance(
    first_byte_after: float, warmed: list[int]
) -> None:
    seen = _Seen()
    splitter = _splitter(seen)
    piece = _Range(0, 256 * MIB, 256 * MIB, measure=splitter)
    piece.asked = ASKED  # as its attempt does when it sends the request
    now = ASKED + first_byte_after
    splitter(piece, 64 * 1024, now)  # the first block: the answer's latency
    assert seen.warmed == warmed
    for _ in range(2):  # then 2 MiB at 32 MB/s: a slow link, split into 8 streams
        now += MIB / 32e6
        splitter(piece, MIB, now)
    assert seen.warmed == warmed  # asked for once, never again
    assert seen.grown == [8]
    assert len(seen.pieces) == 1
    assert len(seen.pieces[0]) > 7  # the rest of the file, in blocks, to the new streams
