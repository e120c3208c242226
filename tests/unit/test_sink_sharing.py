"""Two downloads of the same file into the same folder (two processes, say) at once.

Each sink must write only bytes it verifies: the partial file beside the final name
belongs to one sink at a time; another sink for the same file works on its own copy.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from frogml.adapters.filesystem import LocalFileSystem

DATA = os.urandom(300_000)
SHA = hashlib.sha256(DATA).hexdigest()


def hidden_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*") if p.is_file())


def test_a_second_sink_for_the_same_file_never_damages_the_first(tmp_path: Path) -> None:
    fs = LocalFileSystem()
    first = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=SHA)
    first.write(DATA[:200_000])
    second = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=SHA)
    second.restart()  # e.g. its server ignored a range request

    first.write(DATA[200_000:])
    first.commit()
    first.close()

    assert (tmp_path / "f.bin").read_bytes() == DATA
    second.write(DATA)
    second.commit()
    second.close()
    assert (tmp_path / "f.bin").read_bytes() == DATA
    assert hidden_files(tmp_path) == []


def test_a_sink_never_writes_into_the_file_another_one_committed(tmp_path: Path) -> None:
    fs = LocalFileSystem()
    first = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=SHA)
    first.write(DATA[:100_000])
    second = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=SHA)
    first.write(DATA[100_000:])
    first.commit()
    first.close()

    second.write(b"\0" * (len(DATA) - second.offset))  # bad bytes: its commit fails

    assert (tmp_path / "f.bin").read_bytes() == DATA
    second.close()
    assert hidden_files(tmp_path) == []


def test_a_sink_taking_over_an_abandoned_partial_file_resumes_it(tmp_path: Path) -> None:
    fs = LocalFileSystem()
    first = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=SHA)
    first.write(DATA[:100_000])
    first.close()  # the lock goes with it: the next sink may resume

    second = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=SHA)
    assert second.offset == 100_000
    second.write(DATA[100_000:])
    second.commit()
    second.close()
    assert (tmp_path / "f.bin").read_bytes() == DATA
