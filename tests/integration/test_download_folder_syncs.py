"""A download makes its renames durable once per folder, not once per file: with many
small files, a folder sync per file doubled the cost of the download (issue 15)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from frogml import FrogMLStorage
from frogml.errors import FrogMLError
from tests.integration.helpers import MODEL_FORMAT, files_under, write_tree

FOLDERS = ("a", "b/c")
PER_FOLDER = 20


class _FolderSyncs:
    """Records which of the target's folders ``os.fsync`` was called on, and how often."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
        self.target = target
        self.counts: dict[str, int] = {}
        real = os.fsync

        def fsync(fd: int) -> None:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                for folder in [target, *(p for p in target.rglob("*") if p.is_dir())]:
                    if os.path.samestat(st, folder.stat()):
                        rel = folder.relative_to(target).as_posix()
                        self.counts[rel] = self.counts.get(rel, 0) + 1
            real(fd)

        monkeypatch.setattr(os, "fsync", fsync)


def _published(tmp_path: Path) -> tuple[FrogMLStorage, dict[str, bytes]]:
    files = {
        f"{folder}/f{i:02d}.bin": f"{folder} {i}".encode() * 30
        for folder in FOLDERS
        for i in range(PER_FOLDER)
    }
    storage = FrogMLStorage(env={**os.environ, "FROGML_STORE_DIR": str(tmp_path / "store")})
    source = write_tree(tmp_path / "source", files)
    storage.upload_model_version("repo", "m", str(source), MODEL_FORMAT, version="1")
    return storage, files


def test_each_folder_of_a_download_is_synced_once_not_once_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage, files = _published(tmp_path)
    target = tmp_path / "target"
    syncs = _FolderSyncs(monkeypatch, target)

    storage.download_model_version("repo", "m", "1", str(target))

    assert files_under(target) == files
    assert syncs.counts == {"a": 1, "b/c": 1}


def test_a_failed_download_still_syncs_the_folders_of_the_files_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    storage, files = _published(tmp_path)
    blobs = [p for p in (tmp_path / "store").rglob("*") if p.is_file() and p.stat().st_nlink > 1]
    damaged = next(b for b in blobs if b.read_bytes() == files["b/c/f05.bin"])
    os.chmod(damaged, 0o644)  # stored read-only; the version's hard link is this file
    damaged.write_bytes(b"x" * len(files["b/c/f05.bin"]))  # same size, other bytes
    target = tmp_path / "target"
    syncs = _FolderSyncs(monkeypatch, target)

    with pytest.raises(FrogMLError):
        storage.download_model_version("repo", "m", "1", str(target))

    written = files_under(target)
    assert written  # the files before the damaged one were written ...
    assert "b/c/f05.bin" not in written
    assert syncs.counts.get("a") == 1  # ... and their folders synced, once
