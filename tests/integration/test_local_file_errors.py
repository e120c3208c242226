"""A full disk, a read-only disk or a folder one may not write: one line naming the path
and the OS's reason, a LocalFileError (its exit code), no traceback, and nothing
half-written left behind (no staging, no blob, no final file, no partial file).

Real disks: each case runs the ``frogml`` command in a user and mount namespace
(``unshare -Urm``, no privileges needed) on a tmpfs of a few KiB, full or read-only.
The permission case runs as an unprivileged user (``nobody`` when the tests run as root).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from frogml.adapters.cli._errors import exit_code_for
from frogml.domain.errors import LocalFileError

FROGML = str(Path(sys.executable).parent / "frogml")
LOCAL_FILE_EXIT = exit_code_for(LocalFileError("", path=""))


@dataclass
class Run:
    returncode: int
    stderr: str
    left: list[str]  # what the tmpfs holds afterwards, relative to it


def _namespaces_work(probe: Path) -> bool:
    if shutil.which("unshare") is None or sys.platform != "linux":
        return False
    probe.mkdir()
    done = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", f"mount -t tmpfs -o size=4k none {probe}"],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def disk(tmp_path: Path) -> Path:
    if not _namespaces_work(tmp_path / "probe"):
        pytest.skip("needs unshare -Urm and tmpfs (Linux user namespaces)")
    (tmp_path / "disk").mkdir()
    return tmp_path / "disk"


def _run(tmp_path: Path, disk: Path, *, size: str, commands: list[list[str]], ro: bool) -> Run:
    """Mount a tmpfs of ``size`` on ``disk``; run ``commands`` (the last one is judged),
    remounting read-only before the last when ``ro``; list what the disk holds."""
    env = {**os.environ, "HOME": str(tmp_path / "home"), "JF_URL": "", "JF_ACCESS_TOKEN": ""}
    err, listing = tmp_path / "stderr", tmp_path / "listing"
    *setup, last = [shlex.join(c) for c in commands]
    script = "\n".join(
        [
            f"mount -t tmpfs -o size={size} none {disk} || exit 99",
            *(f"{line} >/dev/null 2>&1 || exit 98" for line in setup),
            f"mount -o remount,ro {disk}" if ro else "",
            f"{last} >/dev/null 2>{err}; code=$?",
            f"cd {disk} && find . -mindepth 1 > {listing}",
            "exit $code",
        ]
    )
    done = subprocess.run(["unshare", "-Urm", "sh", "-c", script], env=env, check=False)
    assert done.returncode not in (98, 99), "the setup failed"
    left = sorted(p.removeprefix("./") for p in listing.read_text().split("\n") if p)
    return Run(done.returncode, err.read_text(), left)


def _one_local_file_line(run: Run, *words: str) -> str:
    assert run.returncode == LOCAL_FILE_EXIT, run.stderr
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, run.stderr
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def _upload(store: Path, source: Path, version: str) -> list[str]:
    env = f"FROGML_STORE_DIR={store}"
    return ["env", env, FROGML, "dataset", "upload", "repo", "data", str(source), "-v", version]


def _download(store: Path, target: Path) -> list[str]:
    env = f"FROGML_STORE_DIR={store}"
    return ["env", env, FROGML, "dataset", "download", "repo", "data", "1", str(target)]


@pytest.mark.parametrize("size", [6000, 300_000], ids=["small file", "large file"])
def test_an_embedded_upload_onto_a_full_disk(tmp_path: Path, disk: Path, size: int) -> None:
    """A small file fails when the blob is closed (the flush), a large one while written."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "w.bin").write_bytes(os.urandom(size))
    run = _run(tmp_path, disk, size="4k", commands=[_upload(disk / "store", source, "1")], ro=False)
    line = _one_local_file_line(run, "No space left on device", str(disk / "store"))
    assert ".blob" in line  # the file that could not be written
    assert not [p for p in run.left if p.startswith("store/tmp/")]  # no staging left
    assert not [p for p in run.left if "blobs" in p or "repositories" in p]


def test_an_embedded_upload_of_many_files_onto_a_full_disk(tmp_path: Path, disk: Path) -> None:
    """The disk fills while records of files stored before are still buffered: closing
    the record fails too, and that must not replace the error (nor add a traceback)."""
    source = tmp_path / "src"
    source.mkdir()
    for index in range(300):
        (source / f"{index:04d}_{'n' * 180}").write_text(str(index))
    run = _run(
        tmp_path, disk, size="96k", commands=[_upload(disk / "store", source, "1")], ro=False
    )
    _one_local_file_line(run, "No space left on device", str(disk / "store"))
    assert not [p for p in run.left if p.startswith("store/tmp/")]  # no staging left
    assert not [p for p in run.left if "repositories" in p]  # nothing published


def test_an_embedded_upload_into_a_read_only_store(tmp_path: Path, disk: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "w.bin").write_bytes(b"weights")
    store = disk / "store"
    commands = [_upload(store, source / "w.bin", "1"), _upload(store, source, "2")]
    run = _run(tmp_path, disk, size="1m", commands=commands, ro=True)
    _one_local_file_line(run, "Read-only file system", str(store))
    assert not [p for p in run.left if "/data/2" in p]


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """An embedded store (on the ordinary disk) with dataset ``data`` version 1."""
    store, source = tmp_path / "store", tmp_path / "src"
    source.mkdir()
    (source / "big.bin").write_bytes(os.urandom(300_000))
    env = {**os.environ, "HOME": str(tmp_path / "home"), "JF_URL": ""}
    subprocess.run(_upload(store, source, "1"), env=env, check=True, capture_output=True)
    return store


def test_a_download_onto_a_full_disk(tmp_path: Path, disk: Path, published: Path) -> None:
    target = disk / "out"
    run = _run(tmp_path, disk, size="64k", commands=[_download(published, target)], ro=False)
    _one_local_file_line(run, "No space left on device", str(target))
    assert run.left in ([], ["out"])  # neither the file nor a partial file stays


def test_a_download_into_a_read_only_folder(tmp_path: Path, disk: Path, published: Path) -> None:
    target = disk / "out"
    run = _run(tmp_path, disk, size="64k", commands=[_download(published, target)], ro=True)
    _one_local_file_line(run, str(target))
    assert "read-only file system" in run.stderr.lower()
    assert run.left == []


def _may_not_write(folder: Path) -> list[str]:
    """Make ``folder`` unwritable for the command; the prefix that runs it so. Root may
    write anything, except, in a user namespace, a folder of a user not mapped there."""
    folder.chmod(0o555)
    if os.geteuid() != 0:
        return []
    if not _namespaces_work(folder.parent / "probe"):
        pytest.skip("as root, needs unshare -Ur to drop the right to write anywhere")
    os.chown(folder, 12345, 12345)
    return ["unshare", "-Ur"]


def test_a_store_folder_one_may_not_write(tmp_path: Path) -> None:
    source, store = tmp_path / "src", tmp_path / "store"
    source.mkdir()
    (source / "w.bin").write_bytes(b"weights")
    store.mkdir()
    prefix = _may_not_write(store)
    env = {**os.environ, "HOME": str(tmp_path / "home"), "JF_URL": ""}
    command = [*prefix, *_upload(store, source, "1")]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    run = Run(done.returncode, done.stderr, sorted(p.name for p in store.iterdir()))
    _one_local_file_line(run, "Permission denied", str(store))
    assert run.left == []


def test_a_download_into_a_folder_one_may_not_write(tmp_path: Path, published: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    prefix = _may_not_write(target)
    env = {**os.environ, "HOME": str(tmp_path / "home"), "JF_URL": ""}
    command = [*prefix, *_download(published, target)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    run = Run(done.returncode, done.stderr, sorted(p.name for p in target.iterdir()))
    _one_local_file_line(run, str(target))
    assert "permission denied" in run.stderr.lower()
    assert run.left == []
