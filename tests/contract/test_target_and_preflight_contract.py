"""The user's files and dry runs behave the same over every store and filesystem:
a download never replaces a different file unasked, nested ``.frogmlignore`` files
work as nested ``.gitignore`` files do, and a dry run refuses what the real run would."""

from __future__ import annotations

import msgspec
import pytest

from frogml.domain.errors import AlreadyExistsError, TargetConflictError
from frogml.domain.model.target import Presence
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.contract.conftest import Harness


def _upload(h: Harness, *, version: str = "v1") -> list[str]:
    request = UploadDatasetRequest(
        repository="ml-local", name="rows", source_path=h.path("src"), version=version
    )
    result = Upload(store=h.store, filesystem=h.filesystem)(request)
    return [a.artifact_path for a in result.dataset_version.manifest.dataset_artifacts]


def _download(h: Harness, *, overwrite: bool = False) -> DownloadDatasetRequest:
    return DownloadDatasetRequest(
        repository="ml-local",
        name="rows",
        version="v1",
        target_path=h.path("out"),
        overwrite=overwrite,
    )


@pytest.fixture
def published(harness: Harness) -> Harness:
    harness.write("src/train.csv", b"a,b\n1,2\n")
    harness.write("src/conf/model.json", b'{"layers": 3}')
    _upload(harness)
    return harness


def test_a_nested_ignore_file_applies_below_its_folder_as_a_nested_gitignore(
    harness: Harness,
) -> None:
    harness.write("src/.frogmlignore", b"*.tmp\n")
    harness.write("src/a.log", b"top log")
    harness.write("src/run/.frogmlignore", b"*.log\n/only-here.txt\n!keep.tmp\n")
    harness.write("src/run/x.log", b"nested log")
    harness.write("src/run/keep.tmp", b"re-included below")
    harness.write("src/run/drop.tmp", b"still excluded by the top file")
    harness.write("src/run/only-here.txt", b"anchored at run/")
    harness.write("src/run/deeper/only-here.txt", b"not anchored here")
    assert _upload(harness) == ["a.log", "run/deeper/only-here.txt", "run/keep.tmp"]


def test_a_download_never_replaces_a_different_file_unasked(published: Harness) -> None:
    h = published
    h.write("out/conf/model.json", b"my own settings")
    with pytest.raises(TargetConflictError) as refused:
        Download(store=h.store, filesystem=h.filesystem)(_download(h))
    assert refused.value.paths == ("conf/model.json",)
    assert h.listing("out") == {"conf/model.json": b"my own settings"}  # nothing written


def test_a_download_with_overwrite_replaces_what_differs_and_keeps_what_is_the_same(
    published: Harness,
) -> None:
    h = published
    h.write("out/conf/model.json", b"my own settings")
    h.write("out/train.csv", b"a,b\n1,2\n")
    result = Download(store=h.store, filesystem=h.filesystem)(_download(h, overwrite=True))
    assert (result.files_downloaded, result.files_reused) == (1, 1)
    assert h.listing("out") == {"conf/model.json": b'{"layers": 3}', "train.csv": b"a,b\n1,2\n"}


def test_a_file_where_a_folder_goes_is_a_conflict_that_overwrite_resolves(
    published: Harness,
) -> None:
    h = published
    h.write("out/conf", b"a file named like the version's folder")
    download = Download(store=h.store, filesystem=h.filesystem)
    plan = download.plan(_download(h))
    assert [(f.path, f.conflict) for f in plan.conflicts] == [
        ("conf/model.json", Presence.FILE_IN_THE_WAY)
    ]
    with pytest.raises(TargetConflictError):
        download(_download(h))
    download(_download(h, overwrite=True))
    assert h.listing("out")["conf/model.json"] == b'{"layers": 3}'


def test_a_dry_run_refuses_a_published_version_as_the_upload_does(published: Harness) -> None:
    h = published
    request = UploadDatasetRequest(
        repository="ml-local", name="rows", source_path=h.path("src"), version="v1"
    )
    upload = Upload(store=h.store, filesystem=h.filesystem)
    with pytest.raises(AlreadyExistsError):
        upload.plan(request)
    with pytest.raises(AlreadyExistsError):
        upload(request)
    assert upload.plan(msgspec.structs.replace(request, version="v2")).transfer
