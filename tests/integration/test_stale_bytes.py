"""No stale bytes: a file rewritten in place with its mtime put back (``touch -r``,
``rsync -t --inplace``, ``cp -p`` onto the same inode) keeps its size, inode and mtime,
yet the hash cache must not answer for it, in a source or in a download target."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from frogml import AuthConfig, FrogMLStorage
from frogml.adapters.filesystem import LocalFileSystem
from frogml.domain.errors import TargetConflictError
from tests.integration.helpers import files_under, write_tree

OLD_NS = 1_600_000_000 * 10**9


def _an_hour_on() -> int:
    return time.time_ns() + 3600 * 10**9  # the cache's clock: every file old enough


def _rewrite_in_place(path: Path, data: bytes) -> None:
    """New bytes of the same size on the same inode, the old mtime put back."""
    st = os.stat(path)
    assert len(data) == st.st_size
    with open(path, "r+b") as file:
        file.write(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    while os.stat(path).st_ctime_ns == st.st_ctime_ns:  # the clock's tick, a few ms
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _storage(tmp_path: Path) -> FrogMLStorage:
    filesystem = LocalFileSystem(cache_dir=tmp_path / "cache", now_ns=_an_hour_on)
    return FrogMLStorage(AuthConfig(f"file://{tmp_path / 'store'}"), filesystem=filesystem)


def test_an_upload_after_an_in_place_rewrite_publishes_the_new_bytes(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "src", {"w.bin": b"old bytes"})
    os.utime(source / "w.bin", ns=(OLD_NS, OLD_NS))
    storage = _storage(tmp_path)
    storage.upload_dataset_version("repo", "data", str(source), version="1")
    _rewrite_in_place(source / "w.bin", b"new bytes")

    storage.upload_dataset_version("repo", "data", str(source), version="2")
    storage.download_dataset_version("repo", "data", "2", str(tmp_path / "out"))
    assert files_under(tmp_path / "out") == {"w.bin": b"new bytes"}


def test_a_file_damaged_in_a_download_target_is_not_kept_as_verified(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "src", {"w.bin": b"good bytes"})
    storage = _storage(tmp_path)
    storage.upload_dataset_version("repo", "data", str(source), version="1")
    out = tmp_path / "out"
    storage.download_dataset_version("repo", "data", "1", str(out))
    os.utime(out / "w.bin", ns=(OLD_NS, OLD_NS))
    storage.download_dataset_version("repo", "data", "1", str(out))  # kept: hash now cached
    _rewrite_in_place(out / "w.bin", b"BAD! bytes")

    with pytest.raises(TargetConflictError, match=r"w\.bin \(differs\)"):
        storage.download_dataset_version("repo", "data", "1", str(out))  # not "kept"
    storage.download_dataset_version("repo", "data", "1", str(out), overwrite=True)
    assert files_under(out) == {"w.bin": b"good bytes"}
