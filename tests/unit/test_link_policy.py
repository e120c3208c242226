"""The link and special-file policy on a real disk: links are followed (and marked),
loops and files that cannot be uploaded stop the upload before anything is sent."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frogml.adapters.filesystem import LocalFileSystem
from frogml.adapters.memory import InMemoryStore
from frogml.domain.errors import UnsupportedFilesError
from frogml.domain.model.patterns import PathRules, literal_pattern
from frogml.domain.services.upload import Upload, UploadDatasetRequest


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def fs() -> LocalFileSystem:
    return LocalFileSystem()


def _selected(fs: LocalFileSystem, source: Path, *exclude: str) -> dict[str, bytes]:
    files = fs.select(str(source), PathRules(exclude=exclude)).files
    out: dict[str, bytes] = {}
    for f in files:
        with f.open() as stream:
            out[f.rel_path] = stream.read()
    return out


def test_a_hugging_face_cache_snapshot_uploads_the_content_its_links_point_to(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    repo = tmp_path / "models--acme--tiny"
    write(repo / "blobs/aaa", b"weights")
    write(repo / "blobs/bbb", b'{"dim": 4}')
    snapshot = repo / "snapshots/0123abc"
    snapshot.mkdir(parents=True)
    (snapshot / "model.safetensors").symlink_to("../../blobs/aaa")
    (snapshot / "config.json").symlink_to("../../blobs/bbb")

    selection = fs.select(str(snapshot), PathRules())

    assert _selected(fs, snapshot) == {
        "config.json": b'{"dim": 4}',
        "model.safetensors": b"weights",
    }
    assert selection.links == {
        "config.json": str((repo / "blobs/bbb").resolve()),
        "model.safetensors": str((repo / "blobs/aaa").resolve()),
    }


def test_the_upload_plan_marks_each_linked_file_with_its_target(tmp_path: Path) -> None:
    write(tmp_path / "home/.aws/credentials", b"secret")
    write(tmp_path / "src/model.bin", b"weights")
    (tmp_path / "src/creds").symlink_to(tmp_path / "home/.aws/credentials")
    request = UploadDatasetRequest(repository="r", name="d", source_path=str(tmp_path / "src"))

    plan = Upload(store=InMemoryStore(), filesystem=LocalFileSystem()).plan(request)

    marks = {f.path: f.link for f in plan.transfer}
    assert marks == {
        "creds": str((tmp_path / "home/.aws/credentials").resolve()),
        "model.bin": None,
    }


def test_a_linked_folder_is_followed_and_its_files_marked(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    write(tmp_path / "shared/vocab.txt", b"a b c")
    write(tmp_path / "src/model.bin", b"weights")
    (tmp_path / "src/tokenizer").symlink_to(tmp_path / "shared")

    selection = fs.select(str(tmp_path / "src"), PathRules())

    assert sorted(f.rel_path for f in selection.files) == ["model.bin", "tokenizer/vocab.txt"]
    assert selection.links == {
        "tokenizer/vocab.txt": str((tmp_path / "shared/vocab.txt").resolve())
    }


@pytest.mark.parametrize("target", [".", "..", "sub"])
def test_a_link_looping_back_to_a_folder_above_it_is_refused_with_its_path(
    fs: LocalFileSystem, tmp_path: Path, target: str
) -> None:
    write(tmp_path / "src/sub/a.txt", b"a")
    (tmp_path / "src/sub/loop").symlink_to(target if target != "sub" else "../sub")

    with pytest.raises(UnsupportedFilesError) as refused:
        fs.select(str(tmp_path / "src"), PathRules())

    assert refused.value.paths == ("sub/loop/",)
    assert "a loop" in refused.value.message
    assert refused.value.excludes == ("/sub/loop",)
    assert _selected(fs, tmp_path / "src", "/sub/loop") == {"sub/a.txt": b"a"}


def test_two_folders_linking_to_each_other_are_a_loop(fs: LocalFileSystem, tmp_path: Path) -> None:
    write(tmp_path / "a/x.txt", b"x")
    write(tmp_path / "b/y.txt", b"y")
    (tmp_path / "a/to-b").symlink_to(tmp_path / "b")
    (tmp_path / "b/to-a").symlink_to(tmp_path / "a")

    with pytest.raises(UnsupportedFilesError, match=r"to-b/to-a/ \(a link back to"):
        fs.select(str(tmp_path / "a"), PathRules())


def test_two_links_to_one_folder_are_not_a_loop(fs: LocalFileSystem, tmp_path: Path) -> None:
    write(tmp_path / "shared/v.txt", b"v")
    write(tmp_path / "src/a.txt", b"a")
    (tmp_path / "src/one").symlink_to(tmp_path / "shared")
    (tmp_path / "src/two").symlink_to(tmp_path / "shared")

    assert sorted(_selected(fs, tmp_path / "src")) == ["a.txt", "one/v.txt", "two/v.txt"]


@pytest.fixture
def specials(tmp_path: Path) -> Iterator[Path]:
    if not hasattr(os, "mkfifo"):
        pytest.skip("FIFOs and Unix sockets are POSIX files")
    """A source holding a FIFO, a socket and a link to a device, beside a regular file."""
    src = tmp_path / "src"
    write(src / "model.bin", b"weights")
    os.mkfifo(src / "queue")
    (src / "sub").mkdir()
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(src / "sub/agent.sock"))
    (src / "null").symlink_to(os.devnull)
    try:
        yield src
    finally:
        listener.close()


def test_special_files_stop_the_upload_naming_each_and_the_exclude_that_skips_it(
    fs: LocalFileSystem, specials: Path
) -> None:
    with pytest.raises(UnsupportedFilesError) as refused:
        fs.select(str(specials), PathRules())

    error = refused.value
    assert error.paths == ("null", "queue", "sub/agent.sock")
    assert "null (a device file), queue (a FIFO), sub/agent.sock (a socket)" in error.message
    assert "nothing was sent" in error.message
    assert error.excludes == ("/null", "/queue", "/sub/agent.sock")
    assert "--exclude /null --exclude /queue --exclude /sub/agent.sock" in str(error)
    assert error.path == str(specials)
    assert _selected(fs, specials, *error.excludes) == {"model.bin": b"weights"}


def test_special_files_the_patterns_exclude_are_only_skipped(
    fs: LocalFileSystem, specials: Path
) -> None:
    write(specials / ".frogmlignore", b"queue\nnull\n")
    write(specials / "sub/.frogmlignore", b"*.sock\n")
    assert _selected(fs, specials) == {"model.bin": b"weights"}


def test_the_upload_and_its_dry_run_refuse_special_files_before_anything_is_sent(
    specials: Path,
) -> None:
    store = InMemoryStore()
    upload = Upload(store=store, filesystem=LocalFileSystem())
    request = UploadDatasetRequest(repository="r", name="d", source_path=str(specials))
    for run in (upload.plan, upload):
        with pytest.raises(UnsupportedFilesError):
            run(request)
    assert store.files_received == 0
    assert not store.transactions


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_an_unreadable_file_stops_the_upload(fs: LocalFileSystem, tmp_path: Path) -> None:
    write(tmp_path / "src/ok.txt", b"ok")
    locked = write(tmp_path / "src/locked.bin", b"secret")
    locked.chmod(0)
    try:
        with pytest.raises(UnsupportedFilesError, match=r"locked.bin \(unreadable"):
            fs.select(str(tmp_path / "src"), PathRules())
    finally:
        locked.chmod(0o644)


_NAME_CHARS = st.characters(
    codec="utf-8", exclude_characters="/\x00", exclude_categories=("Cs", "Cc")
)


@given(
    st.lists(
        st.text(_NAME_CHARS, min_size=1, max_size=12).filter(lambda n: n not in (".", "..")),
        min_size=1,
        max_size=3,
    ),
    st.text(_NAME_CHARS, min_size=1, max_size=12),
)
def test_a_literal_pattern_leaves_out_exactly_its_file(parts: list[str], other: str) -> None:
    path = "/".join(parts)
    rules = PathRules(exclude=(literal_pattern(path),))
    assert rules.reason_to_skip(path) == "excluded"
    sibling = "/".join([*parts[:-1], parts[-1] + other])
    assert rules.takes(sibling)
