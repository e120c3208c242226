"""A download target on a real disk: what it holds where each file goes, whether it may be
written, and replacing only what the user asked to replace."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from frogml.adapters.filesystem import LocalFileSystem
from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore
from frogml.domain.errors import (
    IntegrityError,
    LocalFileError,
    TargetConflictError,
    ValidationError,
)
from frogml.domain.model.target import Found, Presence
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest

DATA = b"the version's bytes"
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def fs() -> LocalFileSystem:
    return LocalFileSystem()


def _found(fs: LocalFileSystem, target: Path, rel_path: str) -> Found:
    return fs.inspect(str(target), rel_path, size=len(DATA), sha256=SHA)


def test_inspect_tells_what_stands_where_each_file_goes(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    (tmp_path / "same.bin").write_bytes(DATA)
    (tmp_path / "other.bin").write_bytes(b"the user's own bytes")
    (tmp_path / "blocker").write_bytes(b"a file where a folder goes")
    (tmp_path / "empty").mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full/notes.txt").write_text("mine")
    (tmp_path / "link.bin").symlink_to(tmp_path / "same.bin")

    same = _found(fs, tmp_path, "same.bin")
    assert (same.presence, same.path) == (Presence.SAME, "same.bin")
    assert same.lands == str(tmp_path / "same.bin")
    assert _found(fs, tmp_path, "other.bin").presence is Presence.DIFFERS
    assert _found(fs, tmp_path, "link.bin").presence is Presence.DIFFERS  # a link is not kept
    blocked = _found(fs, tmp_path, "blocker/deep/x.bin")
    assert (blocked.presence, blocked.path) == (Presence.FILE_IN_THE_WAY, "blocker")
    assert _found(fs, tmp_path, "empty").presence is Presence.EMPTY_FOLDER
    assert _found(fs, tmp_path, "full").presence is Presence.FOLDER
    assert _found(fs, tmp_path, "new/x.bin").presence is Presence.ABSENT
    assert _found(fs, tmp_path / "missing", "x.bin").presence is Presence.ABSENT


def test_make_way_removes_a_file_or_an_empty_folder_never_a_full_one(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "empty").mkdir()
    (tmp_path / "full").mkdir()
    (tmp_path / "full/notes.txt").write_text("mine")
    fs.make_way(str(tmp_path), "file")
    fs.make_way(str(tmp_path), "empty")
    fs.make_way(str(tmp_path), "gone")  # nothing there: fine
    with pytest.raises(LocalFileError):
        fs.make_way(str(tmp_path), "full")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]
    assert (tmp_path / "full/notes.txt").read_text() == "mine"


def test_check_target_refuses_a_file_or_a_target_below_one_and_creates_nothing(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("keep me")
    for target in ("a-file", "a-file/below"):
        with pytest.raises(ValidationError, match="is a file"):
            fs.check_target(str(tmp_path / target))
    fs.check_target(str(tmp_path / "new/deeper"))
    assert not (tmp_path / "new").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes everywhere")
def test_check_target_refuses_a_folder_that_may_not_be_written(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(LocalFileError, match="permission denied"):
            fs.check_target(str(locked))
        with pytest.raises(LocalFileError, match="cannot create target folder"):
            fs.check_target(str(locked / "new"))
    finally:
        locked.chmod(0o755)


def test_a_replaced_file_stays_until_the_verified_bytes_take_its_place(tmp_path: Path) -> None:
    source = InMemoryFileSystem()
    source.add_file("/src/model.bin", DATA)
    store = InMemoryStore()
    Upload(store=store, filesystem=source)(
        UploadDatasetRequest(repository="r", name="d", source_path="/src", version="1")
    )
    store.corrupt_blob(SHA, b"tampered bytes!!!!!")  # same size, other bytes
    (tmp_path / "model.bin").write_bytes(b"the user's own bytes")
    request = DownloadDatasetRequest(
        repository="r", name="d", version="1", target_path=str(tmp_path), overwrite=True
    )
    with pytest.raises(IntegrityError):
        Download(store=store, filesystem=LocalFileSystem())(request)
    assert (tmp_path / "model.bin").read_bytes() == b"the user's own bytes"


def test_a_refused_download_leaves_no_partial_file_and_creates_no_folder(tmp_path: Path) -> None:
    source = InMemoryFileSystem()
    source.add_file("/src/conf/model.json", DATA)
    source.add_file("/src/weights/w.bin", b"w")
    store = InMemoryStore()
    Upload(store=store, filesystem=source)(
        UploadDatasetRequest(repository="r", name="d", source_path="/src", version="1")
    )
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf/model.json").write_text("mine")
    request = DownloadDatasetRequest(
        repository="r", name="d", version="1", target_path=str(tmp_path)
    )
    with pytest.raises(TargetConflictError):
        Download(store=store, filesystem=LocalFileSystem())(request)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "conf",
        "conf/model.json",
    ]


def test_two_files_a_link_in_the_target_makes_one_are_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    source = InMemoryFileSystem()
    source.add_file("/src/a.txt", b"TOP")
    source.add_file("/src/sub/a.txt", b"SUB")
    store = InMemoryStore()
    Upload(store=store, filesystem=source)(
        UploadDatasetRequest(repository="r", name="d", source_path="/src", version="1")
    )
    target = tmp_path / "t"
    target.mkdir()
    (target / "sub").symlink_to(".")  # sub/a.txt is a.txt
    request = DownloadDatasetRequest(repository="r", name="d", version="1", target_path=str(target))
    download = Download(store=store, filesystem=LocalFileSystem())

    with pytest.raises(TargetConflictError, match="would be one file") as caught:
        download(request)
    assert caught.value.paths == ("a.txt", "sub/a.txt")
    with pytest.raises(TargetConflictError):
        download.plan(request)  # the dry run says the same
    with pytest.raises(TargetConflictError):  # and replacing files does not help
        download(
            DownloadDatasetRequest(
                repository="r", name="d", version="1", target_path=str(target), overwrite=True
            )
        )
    assert sorted(p.name for p in target.iterdir()) == ["sub"]


@pytest.mark.parametrize("link", ["sub", "nowhere"], ids=["a loop", "dangling"])
def test_a_link_leading_nowhere_where_a_folder_goes_is_in_the_way_and_force_replaces_it(
    tmp_path: Path, link: str
) -> None:
    source = InMemoryFileSystem()
    source.add_file("/src/sub/a.txt", DATA)
    store = InMemoryStore()
    Upload(store=store, filesystem=source)(
        UploadDatasetRequest(repository="r", name="d", source_path="/src", version="1")
    )
    target = tmp_path / "t"
    target.mkdir()
    (target / "sub").symlink_to(link)  # sub -> sub loops; sub -> nowhere dangles
    download = Download(store=store, filesystem=LocalFileSystem())
    request = DownloadDatasetRequest(repository="r", name="d", version="1", target_path=str(target))

    with pytest.raises(TargetConflictError) as caught:
        download(request)  # refused before anything is written, naming the link
    assert caught.value.paths == ("sub/a.txt",)
    assert (target / "sub").is_symlink()

    download(
        DownloadDatasetRequest(
            repository="r", name="d", version="1", target_path=str(target), overwrite=True
        )
    )
    assert (target / "sub/a.txt").read_bytes() == DATA
