"""Big downloaded chunks go to the kernel whole, or in small slices while whole writes
are measured slow; every byte lands at its offset either way."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import frogml.adapters.filesystem._writes as writes
from frogml.adapters.filesystem._writes import WriteShape

MiB = 1024 * 1024
FAST = 200_000  # ns for 1 MiB: the page cache's usual
SLOW = 2_500_000  # ns for 1 MiB: the slow state measured on a VM


class _Clock:
    """Each timed write takes ``cost`` nanoseconds."""

    def __init__(self) -> None:
        self.now = 0
        self.cost = FAST
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        now = self.now
        self.now += self.cost
        return now


class _File:
    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        self.lock = threading.Lock()
        self.sizes: list[int] = []  # of every pwrite, in order

    def read(self) -> bytes:
        return os.pread(self.fd, 1 << 30, 0)


@pytest.fixture
def file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[_File]:
    opened = _File(tmp_path / "out.bin")
    real = os.pwrite

    def pwrite(fd: int, data: memoryview, offset: int) -> int:
        opened.sizes.append(len(data))
        return real(fd, data, offset)

    monkeypatch.setattr(os, "pwrite", pwrite)
    yield opened
    os.close(opened.fd)


def _write(shape: WriteShape, file: _File, clock: _Clock, costs: list[int]) -> bytes:
    """Write one 1 MiB chunk per cost, in order; the bytes expected in the file."""
    expected = bytearray()
    for number, cost in enumerate(costs):
        clock.cost = cost
        chunk = bytes([number % 251]) * MiB
        shape.write_at(file.fd, chunk, len(expected), file.lock)
        expected += chunk
    return bytes(expected)


def test_fast_whole_writes_stay_whole(file: _File) -> None:
    clock = _Clock()
    shape = WriteShape(clock)
    expected = _write(shape, file, clock, [FAST] * 10)
    assert file.sizes == [MiB] * 10
    assert not shape.sliced
    assert file.read() == expected


def test_one_slow_write_among_fast_ones_changes_nothing(file: _File) -> None:
    clock = _Clock()
    shape = WriteShape(clock)
    costs = [SLOW] * (writes.SLOW_IN_A_ROW - 1) + [FAST] + [SLOW] * (writes.SLOW_IN_A_ROW - 1)
    expected = _write(shape, file, clock, [*costs, FAST])
    assert file.sizes == [MiB] * (len(costs) + 1)
    assert file.read() == expected


def test_slow_whole_writes_in_a_row_turn_to_slices(file: _File) -> None:
    clock = _Clock()
    shape = WriteShape(clock)
    expected = _write(shape, file, clock, [SLOW] * writes.SLOW_IN_A_ROW + [SLOW, FAST])
    slices = MiB // writes.SLICE
    assert file.sizes == [MiB] * writes.SLOW_IN_A_ROW + [writes.SLICE] * (2 * slices)
    assert shape.sliced
    assert file.read() == expected


def test_a_whole_write_is_tried_again_and_kept_when_fast(
    file: _File, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writes, "RETRY_WHOLE_EVERY", 3)
    clock = _Clock()
    shape = WriteShape(clock)
    sliced = writes.RETRY_WHOLE_EVERY
    costs = [SLOW] * writes.SLOW_IN_A_ROW + [FAST] * sliced + [FAST, FAST]
    expected = _write(shape, file, clock, costs)
    whole = [size for size in file.sizes if size == MiB]
    # the slow ones, the one tried again (fast: whole writes are back), the next
    assert len(whole) == writes.SLOW_IN_A_ROW + 2
    assert file.sizes[-2:] == [MiB, MiB]
    assert not shape.sliced
    assert file.read() == expected


def test_a_whole_write_tried_again_and_still_slow_goes_back_to_slices(
    file: _File, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writes, "RETRY_WHOLE_EVERY", 3)
    clock = _Clock()
    shape = WriteShape(clock)
    sliced = writes.RETRY_WHOLE_EVERY
    costs = [SLOW] * writes.SLOW_IN_A_ROW + [SLOW] * sliced + [SLOW, SLOW]
    expected = _write(shape, file, clock, costs)
    slices = MiB // writes.SLICE
    # one slow retry is enough to return to slices: the slow state was already measured
    assert file.sizes[-(slices + 1) :] == [MiB] + [writes.SLICE] * slices
    assert shape.sliced
    assert file.read() == expected


def test_small_writes_are_neither_timed_nor_sliced(file: _File) -> None:
    clock = _Clock()
    shape = WriteShape(clock)
    shape.sliced = True
    data = os.urandom(writes.MEASURED - 1)
    shape.write_at(file.fd, data, 0, file.lock)
    assert file.sizes == [len(data)]
    assert clock.calls == 0
    assert file.read() == data


@settings(max_examples=40, deadline=None)
@given(
    writes_=st.lists(
        st.tuples(st.integers(1, 3 * MiB // 2), st.booleans()),
        min_size=1,
        max_size=8,
    ),
    seed=st.integers(0, 255),
)
def test_every_byte_lands_at_its_offset_whatever_the_shape(
    tmp_path_factory: pytest.TempPathFactory, writes_: list[tuple[int, bool]], seed: int
) -> None:
    path = tmp_path_factory.mktemp("shape") / "out.bin"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        clock = _Clock()
        shape = WriteShape(clock)
        pieces: list[tuple[int, bytes]] = []
        offset = 0
        for number, (size, _slow) in enumerate(writes_):
            pieces.append((offset, bytes([(seed + number) % 256]) * size))
            offset += size
        expected = b"".join(data for _, data in pieces)
        # written last piece first, as ranged streams may finish in any order
        for (offset, data), (size, slow) in zip(reversed(pieces), reversed(writes_), strict=True):
            clock.cost = (SLOW if slow else FAST) * size // MiB + 1
            shape.write_at(fd, data, offset, threading.Lock())
        assert os.pread(fd, len(expected) + 1, 0) == expected
    finally:
        os.close(fd)
