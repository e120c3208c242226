"""The local sink takes byte ranges in any order and still verifies the whole file."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frogml.adapters.filesystem import LocalFileSystem
from frogml.domain.errors import IntegrityError
from frogml.domain.ports.filesystem import ClonableSink, RangedFileSink

DATA = os.urandom(3 * 1024 * 1024 + 17)


def _sink(folder: Path, data: bytes = DATA) -> RangedFileSink:
    sink = LocalFileSystem().open_sink(
        str(folder), "f.bin", size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    assert isinstance(sink, RangedFileSink)
    return sink


def _pieces(data: bytes, size: int) -> list[tuple[int, bytes]]:
    return [(start, data[start : start + size]) for start in range(0, len(data), size)]


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(range(7)))
def test_ranges_written_in_any_order_commit_the_file(
    tmp_path_factory: pytest.TempPathFactory, order: list[int]
) -> None:
    folder = tmp_path_factory.mktemp("out")
    data = DATA[: 7 * 1000]
    sink = _sink(folder, data)
    pieces = _pieces(data, 1000)
    for index in order:
        sink.write_at(*pieces[index])
    sink.commit()
    assert (folder / "f.bin").read_bytes() == data


def test_concurrent_ranges_are_hashed_as_the_prefix_grows(tmp_path: Path) -> None:
    sink = _sink(tmp_path)
    quarter = -(-len(DATA) // 4)

    def fill(start: int) -> None:
        for offset, chunk in _pieces(DATA[start : start + quarter], 64 * 1024):
            sink.write_at(start + offset, chunk)

    threads = [threading.Thread(target=fill, args=(s,)) for s in range(0, len(DATA), quarter)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sink.offset == len(DATA)
    sink.commit()
    assert (tmp_path / "f.bin").read_bytes() == DATA


def test_a_flipped_byte_in_a_late_range_leaves_no_final_file(tmp_path: Path) -> None:
    sink = _sink(tmp_path)
    bad = bytearray(DATA)
    bad[-5] ^= 0xFF
    for offset, chunk in reversed(_pieces(bytes(bad), 1 << 20)):
        sink.write_at(offset, chunk)
    with pytest.raises(IntegrityError):
        sink.commit()
    assert not (tmp_path / "f.bin").exists()
    sink.restart()
    sink.write(DATA)
    sink.commit()
    assert (tmp_path / "f.bin").read_bytes() == DATA


def test_an_interrupted_sink_keeps_only_its_contiguous_prefix(tmp_path: Path) -> None:
    sink = _sink(tmp_path)
    sink.write_at(0, DATA[:1000])
    sink.write_at(5000, DATA[5000:9000])  # a hole at 1000..5000
    sink.close()
    again = _sink(tmp_path)
    assert again.offset == 1000  # resumes after the verified prefix only
    again.write(DATA[1000:])
    again.commit()
    assert (tmp_path / "f.bin").read_bytes() == DATA


def test_a_committed_sink_gives_its_file_to_a_cache(tmp_path: Path) -> None:
    sink = _sink(tmp_path, b"cached bytes")
    assert isinstance(sink, ClonableSink)
    assert not sink.clone_to(str(tmp_path / "early"))  # nothing committed yet
    sink.write(b"cached bytes")
    sink.commit()
    assert sink.clone_to(str(tmp_path / "copy"))
    assert (tmp_path / "copy").read_bytes() == b"cached bytes"


def _big_data() -> bytes:
    return random.Random(7).randbytes(40 << 20)


def _write_ranges_and_die(folder: str) -> None:
    data = _big_data()
    digest = hashlib.sha256(data).hexdigest()
    first = LocalFileSystem().open_sink(folder, "big.bin", size=len(data), sha256=digest)
    assert isinstance(first, RangedFileSink)
    first.write_at(30 << 20, data[30 << 20 : 31 << 20])  # a later range: a hole before it
    first.write_at(0, data[: 20 << 20])  # the first range got 20 MiB in
    os._exit(0)  # killed here: no close(), the partial file keeps its hole


def test_a_ranged_download_killed_before_close_resumes_from_its_recorded_prefix(
    tmp_path: Path,
) -> None:
    data = _big_data()
    digest = hashlib.sha256(data).hexdigest()
    fs = LocalFileSystem()
    killed = multiprocessing.get_context("spawn").Process(
        target=_write_ranges_and_die, args=(str(tmp_path),)
    )
    killed.start()
    killed.join(timeout=60)
    assert killed.exitcode == 0

    second = fs.open_sink(str(tmp_path), "big.bin", size=len(data), sha256=digest)
    assert second.offset == 20 << 20
    second.write(data[second.offset :])
    second.commit()

    assert (tmp_path / "big.bin").read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.bin"]


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="needs O_NOFOLLOW")
def test_a_link_planted_as_the_prefix_marker_is_replaced_never_written_through(
    tmp_path: Path,
) -> None:
    # A shared target folder: anyone who can write there may plant a link under the
    # marker's name; the ranged download must not write its prefix into the link's target.
    victim = tmp_path / "precious.txt"
    victim.write_text("precious")
    folder = tmp_path / "out"
    folder.mkdir()
    data = DATA[: 7 * 1000]
    digest = hashlib.sha256(data).hexdigest()
    marker = folder / f".f.bin.{digest[:16]}.frogml-partial-prefix"
    marker.symlink_to(victim)
    sink = _sink(folder, data)
    pieces = _pieces(data, 1000)
    sink.write_at(*pieces[3])  # out of order: the sink records its prefix (0)

    assert victim.read_text() == "precious"
    assert not marker.is_symlink()
    assert marker.read_text() == "0"
    for offset, chunk in pieces[:3] + pieces[4:]:
        sink.write_at(offset, chunk)
    sink.commit()
    assert (folder / "f.bin").read_bytes() == data
    assert sorted(p.name for p in folder.iterdir()) == ["f.bin"]
    assert victim.read_text() == "precious"


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="needs O_NOFOLLOW")
def test_a_link_planted_as_the_prefix_marker_is_not_read_as_a_recorded_prefix(
    tmp_path: Path,
) -> None:
    data = DATA[: 7 * 1000]
    digest = hashlib.sha256(data).hexdigest()
    lie = tmp_path / "lie.txt"
    lie.write_text("5000")  # would resume a partial file from a hole
    partial = tmp_path / f".f.bin.{digest[:16]}.frogml-partial"
    partial.write_bytes(data[:2000])
    (tmp_path / f"{partial.name}-prefix").symlink_to(lie)

    sink = _sink(tmp_path, data)

    assert sink.offset == 2000  # the partial file itself, read as contiguous
    sink.write(data[2000:])
    sink.commit()
    assert (tmp_path / "f.bin").read_bytes() == data
    assert lie.read_text() == "5000"
