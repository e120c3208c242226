"""A growing file's writeback is asked for in steps, so that its final fsync waits less."""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import frogml.adapters.filesystem._sink as sink_module
import frogml.adapters.writeback as writeback_module
from frogml.adapters.filesystem import LocalFileSystem
from frogml.adapters.writeback import Writeback, start_writeback
from frogml.domain.ports.filesystem import RangedFileSink

STEP = 1000


class _Asked:
    def __init__(self, answer: bool = True) -> None:
        self.ranges: list[tuple[int, int]] = []  # [start, end)
        self._answer = answer

    def __call__(self, fd: int, offset: int, length: int) -> bool:
        self.ranges.append((offset, offset + length))
        return self._answer


@given(
    start=st.integers(0, 5 * STEP),
    growth=st.lists(st.integers(0, 3 * STEP), max_size=30),
    answer=st.booleans(),
)
def test_the_ranges_asked_for_follow_the_file_in_steps(
    start: int, growth: list[int], answer: bool
) -> None:
    asked = _Asked(answer)
    writeback = Writeback(7, start=start, step=STEP, starter=asked)
    size = start
    for more in growth:
        size += more
        writeback.grew(size)
    covered = asked.ranges[-1][1] if asked.ranges else start
    starts, ends = [a for a, _ in asked.ranges], [b for _, b in asked.ranges]
    assert starts == [start, *ends][: len(starts)]  # contiguous, from where the file was
    assert all(b - a >= STEP for a, b in asked.ranges)  # never a range per small write
    assert 0 <= size - covered < STEP  # all but the last step was asked for


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sync_file_range is Linux's")
def test_the_kernel_is_asked_and_the_file_is_unchanged(tmp_path: Path) -> None:
    data = os.urandom(3 << 20)
    path = tmp_path / "f.bin"
    with path.open("wb") as out:
        out.write(data)
        out.flush()
        assert start_writeback(out.fileno(), 0, len(data)) is True
    assert path.read_bytes() == data


def test_a_refusal_is_only_a_hint_and_raises_nothing() -> None:
    read, write = os.pipe()  # sync_file_range refuses a pipe (ESPIPE)
    try:
        assert start_writeback(write, 0, 1 << 20) is False
        Writeback(write, step=1).grew(10)
    finally:
        os.close(read)
        os.close(write)


@pytest.mark.parametrize("order", ["in order", "backwards"])
def test_a_download_asks_for_its_contiguous_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: str
) -> None:
    asked = _Asked()
    monkeypatch.setattr(
        sink_module, "Writeback", functools.partial(Writeback, step=STEP, starter=asked)
    )
    data = os.urandom(10 * STEP + 17)
    sink = LocalFileSystem().open_sink(
        str(tmp_path), "f.bin", size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    assert isinstance(sink, RangedFileSink)
    pieces = [(a, data[a : a + 700]) for a in range(0, len(data), 700)]
    for offset, chunk in pieces if order == "in order" else reversed(pieces):
        sink.write_at(offset, chunk)
    sink.commit()
    assert (tmp_path / "f.bin").read_bytes() == data
    if order == "in order":  # step by step, as the file grew
        starts, ends = [a for a, _ in asked.ranges], [b for _, b in asked.ranges]
        assert starts == [0, *ends[:-1]]
        assert len(data) - ends[-1] < STEP
    else:  # the prefix is complete only with the last piece: one range, all of it
        assert asked.ranges == [(0, len(data))]


def test_a_python_without_ctypes_asks_nothing_and_raises_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    writeback_module._load.cache_clear()  # loaded anew, in this test
    monkeypatch.setitem(sys.modules, "ctypes", None)  # `import ctypes` raises ImportError
    request.addfinalizer(writeback_module._load.cache_clear)  # and anew after it
    with (tmp_path / "f.bin").open("wb") as out:
        out.write(b"x" * 100)
        out.flush()
        assert start_writeback(out.fileno(), 0, 100) is False
        Writeback(out.fileno(), step=10).grew(100)
