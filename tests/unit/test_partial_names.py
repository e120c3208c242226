"""A download writes partial files beside the final name; their names are longer than
it. Whatever a name's characters weigh in bytes, those names fit the disk, and a path
whose partial files would not fit is refused before anything is written for it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from frogml.adapters.filesystem import LocalFileSystem
from frogml.adapters.filesystem._sink import final_path, partial_path
from frogml.domain.errors import LocalFileError
from frogml.domain.ports.filesystem import RangedFileSink

DATA = os.urandom(50_000)
SHA = hashlib.sha256(DATA).hexdigest()
EMOJI = "\U0001f600"  # four bytes in UTF-8
NAME_MAX = 255
# The longest name a download must write beside a file: its private partial file
# (".{8 hex}" more); a ranged download's marker is longer but optional.
PRIVATE_MARKER_TEMP = len(".01234567")

posix_only = pytest.mark.skipif(not hasattr(os, "pathconf"), reason="needs pathconf")


def _size(name: str) -> int:
    return len(os.fsencode(name))


def _download_beside_another(target: Path, rel_path: str) -> None:
    """Download ``rel_path`` as a second sink does while a first one holds the shared
    partial file: a private partial file, written out of order, so that its marker and
    the marker's temporary file (the longest names of all) are written too."""
    fs = LocalFileSystem()
    first = fs.open_sink(str(target), rel_path, size=len(DATA), sha256=SHA)
    second = fs.open_sink(str(target), rel_path, size=len(DATA), sha256=SHA)
    assert isinstance(second, RangedFileSink)
    second.write_at(1000, DATA[1000:])  # out of order: the prefix marker is written
    second.write_at(0, DATA[:1000])
    second.commit()
    second.close()
    first.close()


def test_a_name_of_many_byte_characters_keeps_whole_characters_within_100_bytes() -> None:
    name = EMOJI * 63  # 252 bytes: a valid name

    partial = partial_path(Path("/t") / name, SHA).name

    assert partial == f".{EMOJI * 25}.{SHA[:16]}.frogml-partial"
    assert _size(partial) + PRIVATE_MARKER_TEMP <= NAME_MAX


def test_an_ascii_name_keeps_its_first_100_characters_as_before() -> None:
    # the same partial name as earlier versions wrote: their partial files still resume
    partial = partial_path(Path("/t") / ("x" * 200), SHA).name

    assert partial == f".{'x' * 100}.{SHA[:16]}.frogml-partial"


def test_a_name_that_is_not_utf8_is_cut_by_its_bytes_on_disk(tmp_path: Path) -> None:
    name = os.fsdecode(b"\xff\xfe" + EMOJI.encode() * 60)  # 242 bytes, 62 characters

    partial = partial_path(tmp_path / name, SHA)

    assert os.fsencode(partial.name).startswith(b".\xff\xfe" + EMOJI.encode() * 24 + b".")
    assert _size(partial.name) + PRIVATE_MARKER_TEMP <= NAME_MAX
    partial.write_bytes(b"")  # the disk takes it
    partial.with_name(f"{partial.name}-prefix.01234567").write_bytes(b"")


def test_a_file_named_with_63_emoji_downloads(tmp_path: Path) -> None:
    name = EMOJI * 63

    _download_beside_another(tmp_path, f"d/{name}")

    assert (tmp_path / "d" / name).read_bytes() == DATA
    assert os.listdir(tmp_path / "d") == [name]  # no partial file or marker left


def _rel_path_of(root: str, total: int) -> str:
    """A path in ``root`` whose longest partial file's path is ``total`` bytes."""
    name = "f.bin"
    beside = _size(partial_path(Path(name), SHA).name) + PRIVATE_MARKER_TEMP
    joined = total - (_size(root) + 1) - 1 - beside  # bytes of the folders' part
    count = -(-(joined + 1) // 201)  # folder names of at most 200 bytes, "/" between
    letters = joined - (count - 1)
    parts = ["a" * (letters // count + (i < letters % count)) for i in range(count)]
    rel_path = "/".join([*parts, name])
    assert _size(root) + 1 + _size(rel_path) - _size(name) + beside == total
    return rel_path


@posix_only
def test_a_path_whose_partial_files_just_fit_downloads(tmp_path: Path) -> None:
    root = os.path.realpath(tmp_path)
    longest = os.pathconf(root, "PC_PATH_MAX") - 1  # the limit counts the final NUL
    rel_path = _rel_path_of(root, longest)

    _download_beside_another(tmp_path, rel_path)

    assert (tmp_path / rel_path).read_bytes() == DATA


@posix_only
def test_a_path_that_fits_but_whose_partial_files_do_not_is_refused_at_once(
    tmp_path: Path,
) -> None:
    root = os.path.realpath(tmp_path)
    longest = os.pathconf(root, "PC_PATH_MAX") - 1
    rel_path = _rel_path_of(root, longest + 1)
    assert _size(root) + 1 + _size(rel_path) <= longest  # the file itself would fit

    with pytest.raises(LocalFileError, match="partial files its download writes") as caught:
        final_path(str(tmp_path), rel_path)

    assert f"longer than the {longest} this disk allows" in str(caught.value)
    with pytest.raises(LocalFileError):
        LocalFileSystem().open_sink(str(tmp_path), rel_path, size=len(DATA), sha256=SHA)
    assert os.listdir(tmp_path) == []  # not even its folders


def test_a_disk_refusing_the_markers_long_name_still_downloads_out_of_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # eCryptfs allows 143-byte names: a ranged download's marker may not fit where its
    # partial file does; the download goes on without it (a killed run then restarts).
    import errno

    from frogml.adapters.filesystem import _sink

    def refused(marker: Path, prefix: int) -> None:
        raise OSError(errno.ENAMETOOLONG, "File name too long", str(marker))

    monkeypatch.setattr(_sink, "_write_marker", refused)
    data = os.urandom(7000)
    sink = LocalFileSystem().open_sink(
        str(tmp_path), "f.bin", size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    assert isinstance(sink, RangedFileSink)
    sink.write_at(3000, data[3000:])  # out of order: the sink would record its prefix
    sink.write_at(0, data[:3000])
    sink.commit()
    assert (tmp_path / "f.bin").read_bytes() == data
