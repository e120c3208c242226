"""How ArtifactoryStore copes with a failing server: retries, permanent errors, bad bytes."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from frogml.adapters.artifactory import ArtifactoryStore, RangePolicy
from frogml.adapters.memory.filesystem import InMemoryFileSystem
from frogml.domain.errors import (
    AlreadyExistsError,
    IntegrityError,
    InterruptedTransferError,
    NotFoundError,
    PermissionDeniedError,
    TransientError,
    ValidationError,
)
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.manifest import Artifact, DatasetInfo
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration.helpers import Target, files_under, filesystem, write_tree

BIG = os.urandom(200 * 1024)


def _upload(target: Target, tmp_path: Path, files: dict[str, bytes], version: str = "1") -> None:
    source = write_tree(tmp_path / f"src-{version}", files)
    Upload(store=target.store(), filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="data", version=version, source_path=str(source)
        )
    )


def _download(target: Target, tmp_path: Path, version: str = "1") -> Path:
    out = tmp_path / "out"
    Download(store=target.store(), filesystem=filesystem())(
        DownloadDatasetRequest(
            repository="ml-local", name="data", version=version, target_path=str(out)
        )
    )
    return out


def _published(target: Target) -> bool:
    ref = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name="data")
    try:
        target.store().list_versions(ref)
    except NotFoundError:
        return False
    return True


# -- uploads ---------------------------------------------------------------------------
def test_a_busy_server_with_retry_after_is_waited_for(
    emulator_target: Target, tmp_path: Path
) -> None:
    emu = emulator_target.emu
    emu.faults.fail("PUT", r"/small\.txt$", status=503, times=2, retry_after=7)
    _upload(emulator_target, tmp_path, {"small.txt": b"hello", "big.bin": BIG})
    assert emulator_target.delays == [7.0, 7.0]
    assert emu.counters.snapshot().count("deploy", 503) == 2
    assert _published(emulator_target)


def test_a_rate_limited_start_is_retried(emulator_target: Target, tmp_path: Path) -> None:
    emulator_target.emu.faults.fail("POST", "start-transaction", status=429, times=1)
    _upload(emulator_target, tmp_path, {"a.txt": b"a"})
    assert len(emulator_target.delays) == 1
    assert _published(emulator_target)


def test_a_connection_reset_during_an_upload_is_retried(
    emulator_target: Target, tmp_path: Path
) -> None:
    emulator_target.emu.faults.reset_request("PUT", r"/big\.bin$", after_bytes=50_000, times=1)
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    assert len(emulator_target.delays) == 1
    assert files_under(_download(emulator_target, tmp_path)) == {"big.bin": BIG}


def test_a_permanent_refusal_is_reported_at_once(emulator_target: Target, tmp_path: Path) -> None:
    emu = emulator_target.emu
    emu.faults.fail("POST", "start-transaction", status=403, times=None, message="Go away")
    with pytest.raises(PermissionDeniedError, match="Go away"):
        _upload(emulator_target, tmp_path, {"a.txt": b"a"})
    assert emu.counters.snapshot().count("start_transaction") == 1
    assert emulator_target.delays == []


def test_a_rejected_file_commits_nothing(emulator_target: Target, tmp_path: Path) -> None:
    emu = emulator_target.emu
    emu.faults.fail("PUT", r"/bad\.txt$", status=400, times=None, message="Bad file")
    with pytest.raises(ValidationError, match="Bad file"):
        _upload(emulator_target, tmp_path, {"bad.txt": b"x", "good.txt": b"y"})
    counts = emu.counters.snapshot()
    assert counts.count("deploy", 400) == 1
    assert counts.count("commit") == 0
    assert emulator_target.delays == []
    assert not _published(emulator_target)


def test_a_lasting_outage_gives_up_and_commits_nothing(
    emulator_target: Target, tmp_path: Path
) -> None:
    emu = emulator_target.emu
    emu.faults.fail("PUT", r"/a\.txt$", status=502, times=None)
    with pytest.raises(Exception, match="HTTP 502"):
        _upload(emulator_target, tmp_path, {"a.txt": b"a"})
    assert emu.counters.snapshot().count("deploy", 502) == 4  # max_attempts
    assert emu.counters.snapshot().count("commit") == 0


# -- downloads -------------------------------------------------------------------------
def test_a_flipped_byte_is_downloaded_again(emulator_target: Target, tmp_path: Path) -> None:
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    emulator_target.emu.faults.corrupt("GET", r"/big\.bin$", offset=1000, times=1)
    disk = InMemoryFileSystem()  # its sinks start over after a failed commit
    Download(store=emulator_target.store(), filesystem=disk)(
        DownloadDatasetRequest(repository="ml-local", name="data", version="1", target_path="/out")
    )
    assert disk.read("/out/big.bin") == BIG
    assert emulator_target.emu.counters.snapshot().count("download") == 2


def test_a_flipped_byte_is_downloaded_again_to_disk(
    emulator_target: Target, tmp_path: Path
) -> None:
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    emulator_target.emu.faults.corrupt("GET", r"/big\.bin$", offset=1000, times=1)
    assert files_under(_download(emulator_target, tmp_path)) == {"big.bin": BIG}


def test_bytes_that_never_match_leave_no_file(emulator_target: Target, tmp_path: Path) -> None:
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    emulator_target.emu.faults.corrupt("GET", r"/big\.bin$", offset=5, times=None)
    with pytest.raises(IntegrityError):
        _download(emulator_target, tmp_path)
    assert "big.bin" not in files_under(tmp_path / "out")


def test_a_truncated_body_is_resumed_with_a_range(emulator_target: Target, tmp_path: Path) -> None:
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    emu = emulator_target.emu
    emu.counters.reset()
    emu.faults.truncate("GET", r"/big\.bin$", after_bytes=150_000, times=1)
    assert files_under(_download(emulator_target, tmp_path)) == {"big.bin": BIG}
    counts = emu.counters.snapshot()
    assert counts.count("download", 206) == 1
    assert counts.bytes_sent < 2 * len(BIG)  # the second request sent only the rest


def test_a_body_that_stays_truncated_fails_and_keeps_no_final_file(
    emulator_target: Target, tmp_path: Path
) -> None:
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    emulator_target.emu.faults.truncate("GET", r"/big\.bin$", after_bytes=1000, times=None)
    with pytest.raises(InterruptedTransferError, match="run the same command again"):
        _download(emulator_target, tmp_path)
    assert "big.bin" not in files_under(tmp_path / "out")
    # Once the server behaves, the same download resumes and completes.
    emulator_target.emu.faults.clear()
    assert files_under(_download(emulator_target, tmp_path)) == {"big.bin": BIG}


def test_a_reset_during_a_download_is_retried(emulator_target: Target, tmp_path: Path) -> None:
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    emulator_target.emu.faults.reset_response("GET", r"/big\.bin$", after_bytes=10, times=2)
    assert files_under(_download(emulator_target, tmp_path)) == {"big.bin": BIG}
    assert len(emulator_target.delays) == 2


def test_a_missing_file_is_not_found(emulator_target: Target, tmp_path: Path) -> None:
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    emulator_target.emu.faults.fail("GET", r"/big\.bin$", status=404, times=None)
    with pytest.raises(NotFoundError, match=r"big\.bin"):
        _download(emulator_target, tmp_path)
    assert emulator_target.delays == []


# -- commits whose answer was lost, error answers cut short -----------------------------
def test_a_commit_whose_answer_was_lost_is_sent_again_and_published_once(
    emulator_target: Target, tmp_path: Path
) -> None:
    emu = emulator_target.emu
    emu.faults.reset_response("PUT", "/entity-manifest/", after_bytes=0, times=1)
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    counts = emu.counters.snapshot()
    assert counts.count("commit", 201) == 1  # applied, but the client never saw it
    assert counts.count("commit", 409) == 1  # the second commit: already committed
    assert files_under(_download(emulator_target, tmp_path)) == {"big.bin": BIG}


def test_a_commit_refused_by_a_failing_server_is_retried(
    emulator_target: Target, tmp_path: Path
) -> None:
    emu = emulator_target.emu
    emu.faults.fail("PUT", "/entity-manifest/", status=500, times=2)
    _upload(emulator_target, tmp_path, {"a.txt": b"a"})
    assert emu.counters.snapshot().count("commit", 201) == 1
    assert len(emulator_target.delays) == 2
    assert _published(emulator_target)


def test_a_version_someone_else_published_is_not_taken_for_ours(
    emulator_target: Target, tmp_path: Path
) -> None:
    emu = emulator_target.emu
    store = emulator_target.store()
    ref = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name="data", version="1")
    ours = store.begin(ref)
    _upload(emulator_target, tmp_path, {"other.txt": b"theirs"})  # another upload wins
    manifest = DatasetInfo(
        created_date="2020-01-01T00:00:00.00",
        dataset_artifacts=(Artifact(artifact_path="x.txt", size=1, sha256="0" * 64),),
    )
    # Our commit's answer (409) is lost; the retry's 409 must not pass for success.
    emu.faults.reset_response("PUT", "/entity-manifest/", after_bytes=0, times=1)
    with pytest.raises(AlreadyExistsError):
        store.commit(ours, manifest, {})
    assert emu.counters.snapshot().count("commit", 409) == 2


def test_an_error_answer_cut_short_is_retried(emulator_target: Target, tmp_path: Path) -> None:
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    emu = emulator_target.emu
    emu.faults.fail("GET", r"/big\.bin$", status=503, times=1)
    emu.faults.reset_response("GET", r"/big\.bin$", after_bytes=5, times=1)  # the same answer
    assert files_under(_download(emulator_target, tmp_path)) == {"big.bin": BIG}
    assert len(emulator_target.delays) == 1


def _ranged_store(target: Target) -> ArtifactoryStore:
    """Every file in two concurrent byte ranges."""
    ranged = dataclasses.replace(target.settings, ranges=RangePolicy(threshold=1, parts=2))
    return ArtifactoryStore(ranged, sleep=target.sleep)


def test_an_error_answer_cut_short_during_a_ranged_download_is_retried(
    emulator_target: Target, tmp_path: Path
) -> None:
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    emu = emulator_target.emu
    emu.faults.fail("GET", r"/big\.bin$", status=503, times=1)
    emu.faults.reset_response("GET", r"/big\.bin$", after_bytes=5, times=1)  # the same answer
    store = _ranged_store(emulator_target)
    Download(store=store, filesystem=filesystem())(
        DownloadDatasetRequest(
            repository="ml-local", name="data", version="1", target_path=str(tmp_path / "out")
        )
    )
    assert files_under(tmp_path / "out") == {"big.bin": BIG}
    assert emu.counters.snapshot().count("download", 206) >= 2


def test_a_lasting_outage_of_a_ranged_download_is_tried_a_bounded_number_of_times(
    emulator_target: Target, tmp_path: Path
) -> None:
    _upload(emulator_target, tmp_path, {"big.bin": BIG})
    emu = emulator_target.emu
    rule = emu.faults.fail("GET", r"/big\.bin$", status=503, times=None)
    store = _ranged_store(emulator_target)
    with pytest.raises(TransientError, match="HTTP 503"):
        Download(store=store, filesystem=filesystem())(
            DownloadDatasetRequest(
                repository="ml-local", name="data", version="1", target_path=str(tmp_path / "o")
            )
        )
    # Each range has max_attempts (4); the file's own retries do not multiply them.
    assert emu.faults.fired(rule) <= 2 * 4
