"""A big file's first stream opens the other streams' connections while it is measured,
when its first byte took long enough for a handshake to matter (not on a LAN); across a
distance known beforehand, the streams start at once and a measure lets go of those
one connection makes unnecessary."""

from __future__ import annotations

import pytest

from frogml.adapters.artifactory._ranges import _Early, _Range, _Splitter
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


class _Shrunk:
    def __init__(self) -> None:
        self.to: list[int] = []
        self.grown: list[int] = []


def _early(shrunk: _Shrunk, streams: int = 8, target_rate: float = 256e6) -> _Early:
    policy = RangePolicy(probe=2 * MIB, min_part=2 * MIB, target_rate=target_rate)
    return _Early(policy, streams, shrunk.to.append, shrunk.grown.append)


def _blocks_at(early: _Early, piece: _Range, first_byte_after: float, rate: float) -> None:
    """The first block after ``first_byte_after`` seconds, then 1 MiB blocks arriving
    at ``rate`` bytes per second in all (every stream together), until measured."""
    now = ASKED + first_byte_after
    early(piece, MIB, now)
    for _ in range(64):
        now += MIB / rate
        early(piece, MIB, now)


def test_streams_started_at_once_all_stay_on_a_link_that_caps_each_connection() -> None:
    shrunk = _Shrunk()
    early = _early(shrunk)
    piece = _Range(0, 4 * MIB, 256 * MIB, measure=early)
    piece.asked = ASKED
    _blocks_at(early, piece, 0.040, rate=128e6)  # 8 streams of 16 MB/s: a WAN's share
    assert shrunk.to == []
    assert early.streams == 8


def test_streams_started_at_once_go_when_one_connection_would_do() -> None:
    shrunk = _Shrunk()
    early = _early(shrunk)
    piece = _Range(0, 4 * MIB, 256 * MIB, measure=early)
    piece.asked = ASKED
    _blocks_at(early, piece, 0.040, rate=8 * 300e6)  # each stream alone above the target
    assert shrunk.to == [1]
    assert early.streams == 1


def test_streams_started_at_once_keep_as_many_as_the_measure_asks_for() -> None:
    shrunk = _Shrunk()
    early = _early(shrunk)
    piece = _Range(0, 4 * MIB, 256 * MIB, measure=early)
    piece.asked = ASKED
    _blocks_at(early, piece, 0.040, rate=8 * 100e6)  # 100 MB/s each: 3 reach 256 MB/s
    assert shrunk.to == [3]
    assert early.streams == 3


@pytest.mark.parametrize(("rate", "grown"), [(128e6, [2]), (600e6, [])])
def test_near_after_all_one_stream_is_measured_then_split_as_a_near_download_is(
    rate: float, grown: list[int]
) -> None:
    """A quick first block: the distance counted a handshake. One stream is kept and
    measured alone (the others' first blocks do not count), then split if it is slow."""
    shrunk = _Shrunk()
    early = _early(shrunk)
    piece = _Range(0, 4 * MIB, 256 * MIB, measure=early)
    other = _Range(4 * MIB, 8 * MIB, 256 * MIB, measure=early)
    piece.asked = other.asked = ASKED
    now = ASKED + 0.002
    early(piece, MIB, now)  # the server near after all
    assert shrunk.to == [1]
    for _ in range(8):  # another stream finishing its first block, very fast: ignored
        early(other, MIB, now + 1e-6)
    for _ in range(3):
        now += MIB / rate
        early(piece, MIB, now)
    assert shrunk.grown == grown
    assert early.streams == max([1, *grown])
