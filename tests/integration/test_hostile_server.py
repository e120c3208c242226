"""A hostile server (the emulator's hostile faults): trickles, HTML in place of a file,
a commit that lies, a manifest of extreme depth. Every call ends within its limits
with a clear error or the right bytes, and no foreign byte is kept for a resume."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from emulator import Emulator
from frogml.adapters.artifactory import (
    ArtifactorySettings,
    ArtifactoryStore,
    RetryPolicy,
    StallPolicy,
)
from frogml.domain.errors import (
    AlreadyExistsError,
    FrogMLError,
    NotArtifactoryError,
    NotFoundError,
    ProtocolError,
    TransientError,
)
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.kind import Area
from frogml.domain.model.manifest import Artifact, build_manifest
from frogml.domain.ports.artifact_store import UploadItem
from frogml.domain.ports.credentials import Credentials
from frogml.domain.ports.progress import NULL_EVENTS
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration.helpers import FakeSleep, files_under, filesystem, write_tree

PARTIAL_SUFFIX = ".frogml-partial"
DATA = os.urandom(256 * 1024)
MANIFEST = r"/entity-manifest/data/1$"
FILE = r"/data/1/dataset/d\.bin$"


def _store(
    emulator: Emulator, *, stall: StallPolicy, attempts: int = 3, read_timeout: float = 30.0
) -> ArtifactoryStore:
    settings = ArtifactorySettings(
        credentials=Credentials(url=emulator.url, access_token="test-token"),
        connect_timeout=5.0,
        read_timeout=read_timeout,  # waiting for an answer to begin: not what most stall
        retry=RetryPolicy(max_attempts=attempts, backoff_base=0.01, time_budget=60),
        stall=stall,
    )
    return ArtifactoryStore(settings, sleep=FakeSleep())


def _publish(emulator: Emulator, tmp_path: Path, files: dict[str, bytes]) -> None:
    source = write_tree(tmp_path / "src", files)
    store = _store(emulator, stall=StallPolicy())
    Upload(store=store, filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="data", version="1", source_path=str(source)
        )
    )


def _download(store: ArtifactoryStore, out: Path) -> None:
    Download(store=store, filesystem=filesystem())(
        DownloadDatasetRequest(
            repository="ml-local", name="data", version="1", target_path=str(out)
        )
    )


def _partials(out: Path) -> dict[str, bytes]:
    return {p: b for p, b in files_under(out).items() if p.endswith(PARTIAL_SUFFIX)}


QUICK_STALL = StallPolicy(min_bytes=4096, seconds=0.3)


def test_a_manifest_trickled_a_byte_at_a_time_is_a_stall_retried_then_a_clear_error(
    emulator: Emulator, tmp_path: Path
) -> None:
    _publish(emulator, tmp_path, {"d.bin": DATA})
    # about 600 bytes at 20 a second: half a minute per answer without the stall rule
    rule = emulator.faults.trickle("GET", MANIFEST, seconds=0.05, times=None)
    with pytest.raises(TransientError, match=r"stalled \(fewer than 4096 bytes in 0.3 s\)"):
        _download(_store(emulator, stall=QUICK_STALL, attempts=3), tmp_path / "out")
    assert emulator.faults.fired(rule) == 3  # every attempt, each cut after 0.3 s
    assert not (tmp_path / "out").exists() or files_under(tmp_path / "out") == {}


def test_a_file_trickled_once_resumes_on_the_next_attempt(
    emulator: Emulator, tmp_path: Path
) -> None:
    _publish(emulator, tmp_path, {"d.bin": DATA})
    emulator.faults.trickle("GET", FILE, seconds=0.05, after_bytes=100_000, times=1)
    _download(_store(emulator, stall=QUICK_STALL), tmp_path / "out")
    assert files_under(tmp_path / "out") == {"d.bin": DATA}
    ranged = emulator.counters.snapshot().count("download", 206)
    assert ranged == 1  # the second attempt asked only for what the trickle had not sent


def test_an_answer_that_keeps_flowing_is_no_stall_however_long(
    emulator: Emulator, tmp_path: Path
) -> None:
    _publish(emulator, tmp_path, {"d.bin": DATA})
    # 8 KiB every 20 ms: slow (about 0.7 s in all), but more than 4 KiB in each 0.3 s
    emulator.faults.trickle("GET", FILE, seconds=0.02, chunk=8192, times=None)
    store = _store(emulator, stall=QUICK_STALL)
    _download(store, tmp_path / "out")
    assert files_under(tmp_path / "out") == {"d.bin": DATA}
    assert emulator.counters.snapshot().count("download", 200) == 1  # no retry


def test_an_html_page_in_place_of_a_file_is_refused_and_never_kept_for_a_resume(
    emulator: Emulator, tmp_path: Path
) -> None:
    _publish(emulator, tmp_path, {"d.bin": DATA})
    emulator.faults.html("GET", FILE, times=None)
    with pytest.raises(TransientError, match="HTML page in place of the file"):
        _download(_store(emulator, stall=QUICK_STALL), tmp_path / "out")
    assert _partials(tmp_path / "out") == {}
    assert "d.bin" not in files_under(tmp_path / "out")


def test_an_html_page_once_is_retried_and_the_file_arrives(
    emulator: Emulator, tmp_path: Path
) -> None:
    _publish(emulator, tmp_path, {"d.bin": DATA})
    emulator.faults.html("GET", FILE, times=1)
    _download(_store(emulator, stall=QUICK_STALL), tmp_path / "out")
    assert files_under(tmp_path / "out") == {"d.bin": DATA}


def test_a_commit_that_took_effect_but_answered_404_is_settled_by_reading_back(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.faults.lie("PUT", "/entity-manifest/", status=404, times=1)
    _publish(emulator, tmp_path, {"d.bin": DATA})  # raises unless settled
    assert emulator.read_bytes("ml-local", "datasets/data/1/dataset/d.bin") == DATA


def test_a_commit_refused_because_another_publisher_won_is_not_a_success(
    emulator: Emulator, tmp_path: Path
) -> None:
    ours = _store(emulator, stall=StallPolicy())
    ref = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name="data", version="1")
    transaction = ours.begin(ref)
    (source,) = filesystem().scan(str(write_tree(tmp_path / "ours", {"d.bin": DATA})))
    ours.upload(transaction, [UploadItem(area=Area.FILES, source=source)], NULL_EVENTS)
    _publish(emulator, tmp_path / "theirs", {"theirs.bin": b"their bytes"})  # wins the race
    emulator.faults.lie("PUT", "/entity-manifest/", status=500, times=1)  # ours: uncertain
    manifest = build_manifest(
        EntityKind.DATASET,
        created_date="2026-01-01T00:00:00.00",
        entries=[
            (Area.FILES, Artifact(artifact_path="d.bin", size=source.size, sha256=source.sha256))
        ],
    )
    with pytest.raises(AlreadyExistsError):
        ours.commit(transaction, manifest, {})
    assert emulator.paths("ml-local", "datasets/data/1/dataset") == [
        "datasets/data/1/dataset/theirs.bin"
    ]


def test_a_manifest_of_extreme_depth_is_refused_before_anything_is_written(
    emulator: Emulator, tmp_path: Path
) -> None:
    _publish(emulator, tmp_path, {"d.bin": DATA})
    emulator.faults.deep_manifest(MANIFEST, depth=500_000, times=None)  # a 1 MiB path
    out = tmp_path / "out"
    with pytest.raises(ProtocolError, match="longer than 4096 characters") as caught:
        _download(_store(emulator, stall=QUICK_STALL), out)
    assert len(caught.value.message) < 400  # the path is shown cut, not whole
    assert not out.exists() or files_under(out) == {}
    assert not any(out.rglob("a")) if out.exists() else True


def test_a_hostile_error_message_reaches_the_caller_without_terminal_escapes(
    emulator: Emulator, tmp_path: Path
) -> None:
    _publish(emulator, tmp_path, {"d.bin": DATA})
    emulator.faults.escapes("GET", FILE, status=400, times=None)
    with pytest.raises(FrogMLError) as caught:
        _download(_store(emulator, stall=QUICK_STALL), tmp_path / "out")
    text = str(caught.value)
    assert not any(ord(ch) < 32 or ch == "\x7f" or ch == "\u202e" for ch in text)
    assert "\\x1b[2J" in text  # shown as visible escapes
    assert "\\u202e" in text


def test_settings_for_stalls_reach_the_store_unchanged() -> None:
    policy = StallPolicy(min_bytes=1, seconds=0.5)
    settings = ArtifactorySettings(credentials=Credentials(url="http://h"), stall=policy)
    assert dataclasses.replace(settings).stall is policy


def test_headers_trickled_a_byte_at_a_time_are_a_stall_retried_then_a_clear_error(
    emulator: Emulator, tmp_path: Path
) -> None:
    _publish(emulator, tmp_path, {"d.bin": DATA})
    # The answer begins at once, then its headers never end: every socket read moves.
    rule = emulator.faults.trickle_headers("GET", MANIFEST, seconds=0.02, times=None)
    store = _store(emulator, stall=QUICK_STALL, attempts=2, read_timeout=0.5)
    with pytest.raises(TransientError, match=r"stalled in its headers \(fewer than 4096"):
        _download(store, tmp_path / "out")
    assert emulator.faults.fired(rule) == 2  # each attempt cut within 0.5 + 0.3 s


def test_a_server_barely_reading_an_upload_is_a_stall_and_nothing_is_published(
    emulator: Emulator, tmp_path: Path
) -> None:
    # More than the kernel's socket buffers hold, so sending must wait for the server.
    source = write_tree(tmp_path / "src", {"big.bin": os.urandom(32 << 20)})
    rule = emulator.faults.slow_read("PUT", r"/big\.bin$", seconds=0.2, chunk=1024, times=None)
    store = _store(emulator, stall=QUICK_STALL, attempts=2)
    request = UploadDatasetRequest(
        repository="ml-local", name="big", version="1", source_path=str(source)
    )
    with pytest.raises(TransientError, match=r"stopped reading the request \(fewer than 4096"):
        Upload(store=store, filesystem=filesystem())(request)
    assert emulator.faults.fired(rule) == 3  # the checksum deploy (no body), two attempts
    assert [p for p in emulator.paths("ml-local") if "big" in p] == []


_REF = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name="data", version="1")


@pytest.mark.parametrize(
    ("path", "files"),
    [
        (r"/d\.bin$", {"d.bin": b"a small file: one PUT, no checksum deploy"}),
        (r"/d\.bin$", {"d.bin": DATA}),  # the checksum deploy gets the page first
        (r"/entity-manifest/", {"d.bin": DATA}),  # the commit
    ],
    ids=["file PUT", "checksum deploy", "commit"],
)
def test_a_write_answered_by_an_html_page_with_200_is_no_success(
    emulator: Emulator, tmp_path: Path, path: str, files: dict[str, bytes]
) -> None:
    # A proxy's sign-in page, or a firewall's block page, sent as 200: the write was
    # not done, and the upload must not say it published (nothing is).
    emulator.faults.html("PUT", path, times=None)
    with pytest.raises(NotArtifactoryError, match="answered an HTML page"):
        _publish(emulator, tmp_path, files)
    emulator.faults.clear()
    with pytest.raises(NotFoundError):
        _store(emulator, stall=StallPolicy()).read_manifest(_REF)


def test_a_delete_answered_by_an_html_page_with_200_is_no_success(
    emulator: Emulator, tmp_path: Path
) -> None:
    _publish(emulator, tmp_path, {"d.bin": DATA})
    emulator.faults.html("DELETE", r"/data/1$", times=None)
    store = _store(emulator, stall=StallPolicy())
    with pytest.raises(NotArtifactoryError, match="an HTML page, HTTP 200"):
        store.delete_version(_REF)
    assert store.read_manifest(_REF) is not None  # still there, as the error says
