"""ArtifactoryStore through the domain use cases, against the emulator or a real server."""

from __future__ import annotations

import os
import re
from pathlib import Path

import msgspec
import pytest

from frogml.domain.errors import (
    AlreadyExistsError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
)
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.manifest import Artifact, ModelInfo
from frogml.domain.services.download import Download, DownloadDatasetRequest, DownloadModelRequest
from frogml.domain.services.get_info import GetInfo
from frogml.domain.services.list_versions import ListVersions
from frogml.domain.services.upload import (
    Upload,
    UploadDatasetRequest,
    UploadModelRequest,
    UploadModelResult,
)
from tests.integration.helpers import (
    MODEL_FORMAT,
    RecordingEvents,
    Target,
    files_under,
    filesystem,
    unique,
    write_tree,
)

BIG = os.urandom(64 * 1024)
MODEL_FILES = {
    "weights/model.pt": BIG,
    "config.json": b'{"layers": 3}',
    "nested/deep/notes name.txt": b"spaces and depth",
}


def _summary(artifacts: tuple[Artifact, ...]) -> set[tuple[str, int, str]]:
    return {(a.artifact_path, a.size, a.sha256) for a in artifacts}


def _upload_model(
    target: Target, tmp_path: Path, name: str, version: str | None = "1.0"
) -> UploadModelResult:
    source = write_tree(tmp_path / "src", MODEL_FILES)
    extras = write_tree(
        tmp_path / "extras",
        {"requirements.txt": b"torch==2.5.1\n", "code.zip": os.urandom(20 * 1024)},
    )
    request = UploadModelRequest(
        repository=target.repository,
        name=name,
        namespace="acme",
        version=version,
        source_path=str(source),
        model_format=MODEL_FORMAT,
        properties={"stage": "prod", "team": "ml/core"},
        dependency_paths=(str(extras / "requirements.txt"),),
        code_archive_path=str(extras / "code.zip"),
    )
    return Upload(store=target.store(), filesystem=filesystem())(request)


def test_model_round_trip_with_dependencies_code_and_properties(
    artifactory_target: Target, tmp_path: Path
) -> None:
    name = unique("fraud")
    events = RecordingEvents()
    uploaded = _upload_model(artifactory_target, tmp_path, name)
    store = artifactory_target.store()
    ref = EntityRef(
        repository=artifactory_target.repository,
        kind=EntityKind.MODEL,
        name=name,
        namespace="acme",
        version="1.0",
    )

    info = GetInfo(store=store)(ref)
    result = Download(store=store, filesystem=filesystem())(
        DownloadModelRequest(
            repository=ref.repository,
            name=name,
            namespace="acme",
            version="1.0",
            target_path=str(tmp_path / "out"),
            with_dependencies=True,
            with_code=True,
        ),
        events,
    )

    sent = uploaded.model_version.manifest
    assert info.properties == {"stage": "prod", "team": "ml/core"}
    assert isinstance(info.manifest, ModelInfo)
    assert _summary(info.manifest.model_artifacts) == _summary(sent.model_artifacts)
    assert info.manifest.created_date == sent.created_date
    expected = {
        **MODEL_FILES,
        "dependencies/requirements.txt": b"torch==2.5.1\n",
        "code/code.zip": (tmp_path / "extras" / "code.zip").read_bytes(),
    }
    assert files_under(tmp_path / "out") == expected
    assert result.files_downloaded == len(expected)
    assert events.advanced_bytes == sum(len(v) for v in expected.values())
    versions = ListVersions(store=store)(ref)
    assert [v.version for v in versions] == ["1.0"]


def test_dataset_round_trip_of_a_folder_with_a_server_chosen_version(
    artifactory_target: Target, tmp_path: Path
) -> None:
    name = unique("clicks")
    files = {"part-0.csv": b"a,b\n1,2\n", "sub/part-1.csv": os.urandom(30 * 1024)}
    source = write_tree(tmp_path / "src", files)
    store = artifactory_target.store()
    uploaded = Upload(store=store, filesystem=filesystem())(
        UploadDatasetRequest(
            repository=artifactory_target.repository, name=name, source_path=str(source)
        )
    )
    version = uploaded.dataset_version.version
    assert re.fullmatch(r"\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d", version)
    Download(store=store, filesystem=filesystem())(
        DownloadDatasetRequest(
            repository=artifactory_target.repository,
            name=name,
            version=version,
            target_path=str(tmp_path / "out"),
        )
    )
    assert files_under(tmp_path / "out") == files


def test_dataset_round_trip_of_a_single_file(artifactory_target: Target, tmp_path: Path) -> None:
    name = unique("single")
    source = write_tree(tmp_path / "src", {"table.parquet": os.urandom(12 * 1024)})
    store = artifactory_target.store()
    Upload(store=store, filesystem=filesystem())(
        UploadDatasetRequest(
            repository=artifactory_target.repository,
            name=name,
            version="v1",
            source_path=str(source / "table.parquet"),
        )
    )
    Download(store=store, filesystem=filesystem())(
        DownloadDatasetRequest(
            repository=artifactory_target.repository,
            name=name,
            version="v1",
            target_path=str(tmp_path / "out"),
        )
    )
    assert files_under(tmp_path / "out") == {
        "table.parquet": (source / "table.parquet").read_bytes()
    }


def test_the_same_content_as_a_new_version_sends_no_file_bytes(
    artifactory_target: Target, tmp_path: Path
) -> None:
    name = unique("dedup")
    files = {"a.bin": os.urandom(40 * 1024), "b/c.bin": os.urandom(11 * 1024)}
    source = write_tree(tmp_path / "src", files)
    store = artifactory_target.store()
    upload = Upload(store=store, filesystem=filesystem())
    request = UploadDatasetRequest(
        repository=artifactory_target.repository, name=name, version="1", source_path=str(source)
    )
    first = upload(request)
    if artifactory_target.emulator is not None:
        artifactory_target.emu.counters.reset()
    events = RecordingEvents()
    second = upload(msgspec.structs.replace(request, version="2"), events)

    assert first.report.files_sent == 2
    assert second.report.files_sent == 0
    assert second.report.files_deduplicated == 2
    assert second.report.bytes_deduplicated == sum(len(v) for v in files.values())
    assert events.done == {"a.bin": False, "b/c.bin": False}
    if artifactory_target.emulator is not None:
        counts = artifactory_target.emu.counters.snapshot()
        assert counts.bytes_received == 0
        assert counts.count("deploy") == 0
        assert counts.count("checksum_deploy", 201) == 2


def test_republishing_a_version_is_already_exists(
    artifactory_target: Target, tmp_path: Path
) -> None:
    name = unique("twice")
    _upload_model(artifactory_target, tmp_path, name)
    with pytest.raises(AlreadyExistsError):
        _upload_model(artifactory_target, tmp_path, name)


def test_an_unknown_version_is_not_found(artifactory_target: Target) -> None:
    ref = EntityRef(
        repository=artifactory_target.repository,
        kind=EntityKind.MODEL,
        name=unique("ghost"),
        version="9.9",
    )
    store = artifactory_target.store()
    with pytest.raises(NotFoundError):
        store.read_manifest(ref)
    with pytest.raises(NotFoundError, match="ghost"):
        ListVersions(store=store)(ref)


def test_token_authentication_is_accepted(artifactory_target: Target) -> None:
    store = artifactory_target.store()
    store.check_access(artifactory_target.repository)
    assert store.server_version()


def test_basic_authentication_really_authenticates(emulator_target: Target, tmp_path: Path) -> None:
    good = emulator_target.user("alice", "alice-pw")
    good.check_access("ml-local")
    bad = emulator_target.user("alice", "wrong-pw")
    with pytest.raises(AuthenticationError) as caught:
        bad.check_access("ml-local")
    assert "frogml login" in str(caught.value)
    assert "wrong-pw" not in str(caught.value) + repr(bad)


def test_anonymous_requests_are_rejected(emulator_target: Target, tmp_path: Path) -> None:
    anonymous = emulator_target.store(access_token=None)
    anonymous.ping()  # a ping checks no credentials
    with pytest.raises(AuthenticationError):
        anonymous.check_access()
    source = write_tree(tmp_path / "src", {"a.txt": b"x"})
    with pytest.raises(AuthenticationError):
        Upload(store=anonymous, filesystem=filesystem())(
            UploadDatasetRequest(repository="ml-local", name="anon", source_path=str(source))
        )


def test_a_read_only_user_may_not_publish(emulator_target: Target, tmp_path: Path) -> None:
    reader = emulator_target.user("bob", "bob-pw")
    source = write_tree(tmp_path / "src", {"a.txt": b"x"})
    with pytest.raises(PermissionDeniedError):
        Upload(store=reader, filesystem=filesystem())(
            UploadDatasetRequest(
                repository="ml-local", name="ro", version="1", source_path=str(source)
            )
        )
    ref = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name="ro")
    with pytest.raises(NotFoundError):
        emulator_target.store().list_versions(ref)


def test_secrets_never_show_in_reprs(artifactory_target: Target) -> None:
    token_store = artifactory_target.store(access_token="tok-SECRET-123")
    basic_store = artifactory_target.user("alice", "pw-SECRET-456")
    shown = repr(token_store) + repr(basic_store) + repr(artifactory_target.settings)
    assert "SECRET" not in shown
