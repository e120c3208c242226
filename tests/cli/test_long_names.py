"""Long names through the CLI on the embedded store: a name valid on the disk downloads
however many bytes its characters take, and a path whose partial files the disk could
not hold is refused, dry run and real run alike, before anything is written."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from frogml.adapters.filesystem._sink import partial_path
from tests.cli.conftest import Invoke

EMOJI = "\U0001f600"  # four bytes in UTF-8
LOCAL_FILES = 6  # the exit code of a local file error


def test_a_file_named_with_63_emoji_uploads_and_downloads(invoke: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    name = EMOJI * 63  # 252 bytes
    (source / name).write_bytes(b"y")
    assert invoke("dataset", "upload", "r", "ln", str(source), "-v", "1").exit_code == 0

    done = invoke("dataset", "download", "r", "ln", "1", str(tmp_path / "out"))

    assert done.exit_code == 0, done.stderr
    assert (tmp_path / "out" / name).read_bytes() == b"y"


@pytest.mark.skipif(not hasattr(os, "pathconf"), reason="needs pathconf")
def test_a_path_whose_partial_files_do_not_fit_is_refused_before_anything_is_written(
    invoke: Invoke, tmp_path: Path
) -> None:
    data = b"deep"
    source = tmp_path / "s"
    target = tmp_path / ("t" * 100)  # longer than the source: its paths fit there
    root = os.path.realpath(tmp_path) + "/" + target.name
    longest = os.pathconf(os.path.realpath(tmp_path), "PC_PATH_MAX") - 1
    name = "f.bin"
    beside = len(partial_path(Path(name), hashlib.sha256(data).hexdigest()).name)
    joined = longest + 1 - (len(root) + 1) - 1 - beside  # the partial file: 1 byte too long
    count = -(-(joined + 1) // 201)  # folder names of at most 200 bytes
    letters = joined - (count - 1)
    folders = ["b" * (letters // count + (i < letters % count)) for i in range(count)]
    rel_path = "/".join([*folders, name])
    assert len(root) + 1 + len(rel_path) <= longest  # the file itself would fit
    (source / rel_path).parent.mkdir(parents=True)
    (source / rel_path).write_bytes(data)
    (source / "a.txt").write_bytes(b"first")  # downloaded first, were nothing refused
    assert invoke("dataset", "upload", "r", "deep", str(source), "-v", "1").exit_code == 0

    dry = invoke("dataset", "download", "r", "deep", "1", str(target), "--dry-run")
    real = invoke("dataset", "download", "r", "deep", "1", str(target))

    assert (dry.exit_code, real.exit_code) == (LOCAL_FILES, LOCAL_FILES), real.stderr
    assert "partial files its download writes beside it" in real.stderr
    assert not target.exists() or os.listdir(target) == []
