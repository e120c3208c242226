"""LocalFileSystem: scanning, the ignore list, verified sinks, symlinks, the hash cache."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from frogml.adapters.filesystem import LocalFileSystem, atomic_write
from frogml.domain.errors import (
    IntegrityError,
    LocalFileError,
    UnsupportedFilesError,
    ValidationError,
)
from frogml.domain.model.patterns import PathRules


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def hidden_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*") if p.is_file())


@pytest.fixture
def fs() -> LocalFileSystem:
    return LocalFileSystem()


# -- scan ---------------------------------------------------------------------------
def test_scan_lists_regular_files_by_posix_path_minus_the_ignore_list(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    write(tmp_path / "src/b/deep/w.bin", b"w")
    write(tmp_path / "src/a.txt", b"a")
    write(tmp_path / "src/.git/config", b"ignored")
    write(tmp_path / "src/sub/.DS_Store", b"ignored")
    write(tmp_path / "src/model-manifest.json", b"ignored")

    files = fs.scan(str(tmp_path / "src"))

    assert [(f.rel_path, f.size, f.sha256) for f in files] == [
        ("a.txt", 1, sha(b"a")),
        ("b/deep/w.bin", 1, sha(b"w")),
    ]


def test_scan_of_a_file_gives_its_base_name(fs: LocalFileSystem, tmp_path: Path) -> None:
    path = write(tmp_path / "x/model.onnx", b"onnx")

    [only] = fs.scan(str(path))

    assert only.rel_path == "model.onnx"
    with only.open() as stream:
        assert stream.read() == b"onnx"


def test_scan_hashes_large_and_many_files_correctly(fs: LocalFileSystem, tmp_path: Path) -> None:
    big = os.urandom(3 * (1 << 20) + 7)  # spans several read buffers
    write(tmp_path / "src/big.bin", big)
    for i in range(30):
        write(tmp_path / f"src/small/{i:02d}.txt", str(i).encode())

    files = {f.rel_path: f for f in fs.scan(str(tmp_path / "src"))}

    assert files["big.bin"].sha256 == sha(big)
    assert files["big.bin"].size == len(big)
    assert all(files[f"small/{i:02d}.txt"].sha256 == sha(str(i).encode()) for i in range(30))


def test_scan_refuses_a_missing_path(fs: LocalFileSystem, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        fs.scan(str(tmp_path / "nothing"))


def test_scan_refuses_a_folder_holding_only_ignored_files(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    write(tmp_path / "src/.gitkeep", b"")

    with pytest.raises(ValidationError, match="no file to upload"):
        fs.scan(str(tmp_path / "src"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_scan_refuses_a_source_that_is_neither_file_nor_folder(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "pipe")

    with pytest.raises(ValidationError, match="neither a file nor a folder"):
        fs.scan(str(tmp_path / "pipe"))


def test_scan_refuses_a_file_name_that_is_not_a_safe_path(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    write(tmp_path / "src/back\\slash.txt", b"x")

    with pytest.raises(ValidationError, match=r"back\\\\slash"):
        fs.scan(str(tmp_path / "src"))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_scan_refuses_an_unreadable_folder(fs: LocalFileSystem, tmp_path: Path) -> None:
    write(tmp_path / "src/locked/a.txt", b"a")
    (tmp_path / "src/locked").chmod(0)
    try:
        with pytest.raises(LocalFileError, match=r"unreadable|cannot read"):  # exit code 6
            fs.scan(str(tmp_path / "src"))
    finally:
        (tmp_path / "src/locked").chmod(0o755)


def test_an_unreadable_single_file_is_refused_by_the_scan_before_any_hashing(
    fs: LocalFileSystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a folder's unreadable files are: an upload starts its transaction once the
    scan is done, so what cannot be read must be found by then. (The permission itself
    is simulated: root reads everything.)"""
    write(tmp_path / "model.bin", b"m")
    monkeypatch.setattr(
        "frogml.adapters.filesystem.local.unreadable_file",
        lambda path: "unreadable (permission denied)",
    )
    with pytest.raises(LocalFileError, match="permission denied"):
        fs.scan_first(str(tmp_path / "model.bin"), PathRules())


def test_scan_follows_linked_folders_and_reads_linked_files(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    write(tmp_path / "outside/secret.txt", b"secret")
    write(tmp_path / "src/real.txt", b"real")
    (tmp_path / "src/elsewhere").symlink_to(tmp_path / "outside")
    (tmp_path / "src/alias.txt").symlink_to(tmp_path / "outside/secret.txt")

    files = {f.rel_path: f.sha256 for f in fs.scan(str(tmp_path / "src"))}

    assert files == {
        "alias.txt": sha(b"secret"),
        "elsewhere/secret.txt": sha(b"secret"),
        "real.txt": sha(b"real"),
    }


def test_scan_refuses_a_broken_link(fs: LocalFileSystem, tmp_path: Path) -> None:
    write(tmp_path / "src/a.txt", b"a")
    (tmp_path / "src/dangling").symlink_to(tmp_path / "gone")

    with pytest.raises(UnsupportedFilesError, match=r"dangling \(a broken link\)"):
        fs.scan(str(tmp_path / "src"))


# -- single_file and prepare_target -------------------------------------------------
def test_single_file_refuses_a_folder_and_a_missing_file(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    with pytest.raises(ValidationError, match=r"dependency file .* is a folder; give a file"):
        fs.single_file(str(tmp_path), role="dependency file")
    with pytest.raises(ValidationError, match=r"code archive .* does not exist"):
        fs.single_file(str(tmp_path / "code.zip"), role="code archive")


def test_prepare_target_refuses_a_file(fs: LocalFileSystem, tmp_path: Path) -> None:
    path = write(tmp_path / "taken", b"")

    with pytest.raises(ValidationError, match="is a file"):
        fs.prepare_target(str(path))
    fs.prepare_target(str(tmp_path / "new/deeper"))
    assert (tmp_path / "new/deeper").is_dir()


def test_holds_only_a_regular_file_with_the_same_size_and_hash(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    write(tmp_path / "t/a.txt", b"abc")
    (tmp_path / "t/link.txt").symlink_to(tmp_path / "t/a.txt")
    target = str(tmp_path / "t")

    assert fs.holds(target, "a.txt", size=3, sha256=sha(b"abc"))
    assert not fs.holds(target, "a.txt", size=3, sha256=sha(b"abd"))
    assert not fs.holds(target, "a.txt", size=4, sha256=sha(b"abc"))
    assert not fs.holds(target, "missing.txt", size=3, sha256=sha(b"abc"))
    assert not fs.holds(target, "link.txt", size=3, sha256=sha(b"abc"))


# -- sinks --------------------------------------------------------------------------
DATA = b"0123456789" * 1000


def test_sink_shows_the_file_only_after_a_verified_commit(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    sink = fs.open_sink(str(tmp_path), "sub/dir/f.bin", size=len(DATA), sha256=sha(DATA))
    sink.write(DATA[:5000])
    sink.write(DATA[5000:])

    assert not (tmp_path / "sub/dir/f.bin").exists()
    sink.commit()
    sink.close()

    assert (tmp_path / "sub/dir/f.bin").read_bytes() == DATA
    assert hidden_files(tmp_path) == []


def test_sink_with_wrong_bytes_raises_and_keeps_nothing(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    sink = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=sha(DATA))
    sink.write(DATA[:-1] + b"X")

    with pytest.raises(IntegrityError) as caught:
        sink.commit()

    assert caught.value.expected == sha(DATA)
    assert caught.value.actual == sha(DATA[:-1] + b"X")
    assert list(tmp_path.iterdir()) == []


def test_sink_resumes_the_partial_data_of_an_earlier_attempt(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    first = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=sha(DATA))
    first.write(DATA[:3000])
    first.close()

    second = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=sha(DATA))
    assert second.offset == 3000
    second.write(DATA[3000:])
    second.commit()

    assert (tmp_path / "f.bin").read_bytes() == DATA


def test_sink_resume_with_corrupt_partial_data_fails_the_commit(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    first = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=sha(DATA))
    first.write(b"garbage!")
    first.close()

    second = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=sha(DATA))
    second.write(DATA[second.offset :])

    with pytest.raises(IntegrityError):
        second.commit()
    assert list(tmp_path.iterdir()) == []


def test_sink_restart_drops_the_partial_data(fs: LocalFileSystem, tmp_path: Path) -> None:
    first = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=sha(DATA))
    first.write(b"garbage!")
    first.close()
    second = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=sha(DATA))

    second.restart()
    second.write(DATA)
    second.commit()

    assert second.offset == len(DATA)
    assert (tmp_path / "f.bin").read_bytes() == DATA


def test_sink_replaces_a_stale_file_under_the_final_name(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    write(tmp_path / "f.bin", b"old")
    sink = fs.open_sink(str(tmp_path), "f.bin", size=len(DATA), sha256=sha(DATA))
    sink.write(DATA)
    sink.commit()

    assert (tmp_path / "f.bin").read_bytes() == DATA


def test_sink_refuses_a_symlink_leading_out_of_the_target(
    fs: LocalFileSystem, tmp_path: Path
) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "target").mkdir()
    (tmp_path / "target/escape").symlink_to(tmp_path / "outside")

    with pytest.raises(ValidationError, match="outside"):
        fs.open_sink(str(tmp_path / "target"), "escape/f.bin", size=1, sha256=sha(b"x"))
    with pytest.raises(ValidationError):
        fs.holds(str(tmp_path / "target"), "escape/f.bin", size=1, sha256=sha(b"x"))
    assert list((tmp_path / "outside").iterdir()) == []


def test_sink_refuses_an_unsafe_relative_path(fs: LocalFileSystem, tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        fs.open_sink(str(tmp_path), "../evil.txt", size=1, sha256=sha(b"x"))


def test_sink_cannot_replace_a_folder_of_the_same_name(fs: LocalFileSystem, tmp_path: Path) -> None:
    (tmp_path / "f.bin").mkdir()
    sink = fs.open_sink(str(tmp_path), "f.bin", size=1, sha256=sha(b"x"))
    sink.write(b"x")

    with pytest.raises(ValidationError, match="folder"):
        sink.commit()


# -- the hash cache -----------------------------------------------------------------
OLD_NS = 1_600_000_000 * 10**9  # an mtime far in the past: not "racy"


def _an_hour_on() -> int:
    """The hash cache's clock: an hour from now, so no file here is too fresh to cache
    (its ctime, which cannot be put back, is now)."""
    return time.time_ns() + 3600 * 10**9


@contextlib.contextmanager
def _cache_db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """The hash cache's SQLite file, read or changed as another process would."""
    db = sqlite3.connect(tmp_path / "cache/hashes.sqlite")
    try:
        with db:
            yield db
    finally:
        db.close()


def _put_back_mtime(path: Path, mtime_ns: int) -> None:
    """``touch -r``: the old mtime again; ctime moves (waiting out the clock's tick)."""
    before = os.stat(path).st_ctime_ns
    os.utime(path, ns=(mtime_ns, mtime_ns))
    while os.stat(path).st_ctime_ns == before:
        os.utime(path, ns=(mtime_ns, mtime_ns))


def test_rescanning_an_unchanged_file_reuses_the_cached_hash(tmp_path: Path) -> None:
    path = write(tmp_path / "src/f.bin", b"aaaa")
    os.utime(path, ns=(OLD_NS, OLD_NS))
    LocalFileSystem(cache_dir=tmp_path / "cache", now_ns=_an_hour_on).scan(str(path))
    with _cache_db(tmp_path) as db:
        db.execute("UPDATE hashes SET sha256 = ?", ("f" * 64,))

    again = LocalFileSystem(cache_dir=tmp_path / "cache", now_ns=_an_hour_on).scan(str(path))
    assert again[0].sha256 == "f" * 64  # believed: the file's key is unchanged


def test_a_file_rewritten_in_place_with_its_mtime_put_back_is_hashed_again(
    tmp_path: Path,
) -> None:
    """``touch -r``, ``rsync -t --inplace``, ``cp -p`` onto the same inode: same size,
    inode and mtime, new bytes. Its ctime moved, so the cache does not answer."""
    fs = LocalFileSystem(cache_dir=tmp_path / "cache", now_ns=_an_hour_on)
    path = write(tmp_path / "src/f.bin", b"aaaa")
    os.utime(path, ns=(OLD_NS, OLD_NS))
    assert fs.scan(str(path))[0].sha256 == sha(b"aaaa")
    with open(path, "r+b") as file:
        file.write(b"bbbb")
    _put_back_mtime(path, OLD_NS)

    assert fs.scan(str(path))[0].sha256 == sha(b"bbbb")


def test_a_file_changed_within_the_clocks_granularity_is_not_cached(tmp_path: Path) -> None:
    fs = LocalFileSystem(cache_dir=tmp_path / "cache")  # the real clock: ctime is now
    path = write(tmp_path / "src/f.bin", b"aaaa")
    os.utime(path, ns=(OLD_NS, OLD_NS))
    fs.scan(str(path))
    assert not (tmp_path / "cache/hashes.sqlite").exists()


def test_a_changed_mtime_makes_the_cache_hash_again(tmp_path: Path) -> None:
    fs = LocalFileSystem(cache_dir=tmp_path / "cache", now_ns=_an_hour_on)
    path = write(tmp_path / "src/f.bin", b"aaaa")
    os.utime(path, ns=(OLD_NS, OLD_NS))
    fs.scan(str(path))
    path.write_bytes(b"bbbb")
    os.utime(path, ns=(OLD_NS + 1, OLD_NS + 1))

    assert fs.scan(str(path))[0].sha256 == sha(b"bbbb")


def test_hashes_found_checking_a_target_are_kept_for_the_next_download(tmp_path: Path) -> None:
    path = write(tmp_path / "out/f.bin", b"aaaa")
    os.utime(path, ns=(OLD_NS, OLD_NS))
    fs = LocalFileSystem(cache_dir=tmp_path / "cache", now_ns=_an_hour_on)
    assert fs.holds(str(tmp_path / "out"), "f.bin", size=4, sha256=sha(b"aaaa"))
    del fs  # checks have no last one: what is unsaved is written when the filesystem goes
    gc.collect()
    with _cache_db(tmp_path) as db:
        db.execute("UPDATE hashes SET sha256 = ?", ("f" * 64,))

    again = LocalFileSystem(cache_dir=tmp_path / "cache", now_ns=_an_hour_on)
    assert again.holds(str(tmp_path / "out"), "f.bin", size=4, sha256="f" * 64)  # believed


def test_a_corrupt_cache_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache/hashes.sqlite").write_bytes(b"{not a database" * 100)
    fs = LocalFileSystem(cache_dir=tmp_path / "cache", now_ns=_an_hour_on)
    path = write(tmp_path / "src/f.bin", b"aaaa")
    os.utime(path, ns=(OLD_NS, OLD_NS))

    assert fs.scan(str(path))[0].sha256 == sha(b"aaaa")
    with _cache_db(tmp_path) as db:
        assert db.execute("SELECT path, sha256 FROM hashes").fetchall() == [
            (os.fsencode(path), sha(b"aaaa"))
        ]


def test_a_cache_of_the_version_without_ctime_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "src/f.bin", b"bbbb")
    os.utime(path, ns=(OLD_NS, OLD_NS))
    st = os.stat(path)
    (tmp_path / "cache").mkdir()
    with _cache_db(tmp_path) as db:  # as the first version would have kept it
        db.execute("CREATE TABLE hashes (path BLOB PRIMARY KEY, stamp, size, sha256)")
        stamp = f"{st.st_size}:{OLD_NS}:{st.st_ino}:{st.st_dev}"
        db.execute("INSERT INTO hashes VALUES (?, ?, 4, ?)", (os.fsencode(path), stamp, "f" * 64))
        db.execute("PRAGMA user_version = 1")
    fs = LocalFileSystem(cache_dir=tmp_path / "cache", now_ns=_an_hour_on)

    assert fs.scan(str(path))[0].sha256 == sha(b"bbbb")


def test_atomic_write_leaves_only_the_final_file(tmp_path: Path) -> None:
    atomic_write(tmp_path / "f.json", b"{}", mode=0o600)
    atomic_write(tmp_path / "f.json", b"[]", mode=0o600)

    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]
    assert (tmp_path / "f.json").read_bytes() == b"[]"
    assert (tmp_path / "f.json").stat().st_mode & 0o777 == 0o600
