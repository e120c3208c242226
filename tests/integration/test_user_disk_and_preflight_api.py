"""Issue 13 through the Python API, on the embedded store and the emulator: downloads
replace a different file only with ``overwrite=True``, dry runs raise what the real run
raises, a server can be required, and the library prints nothing."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from frogml import AuthConfig, FrogMLStorage
from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RetryPolicy
from frogml.domain.errors import (
    AlreadyExistsError,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    TargetConflictError,
    TransientError,
)
from frogml.domain.model.target import Presence
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.download import DownloadDatasetRequest
from frogml.domain.services.upload import UploadDatasetRequest
from tests.integration._login_harness import closed_port_url


@pytest.fixture(params=["embedded", "emulator"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> FrogMLStorage:
    if request.param == "embedded":
        return FrogMLStorage(AuthConfig((tmp_path / "store").as_uri()))
    emulator: Emulator = request.getfixturevalue("emulator")
    return FrogMLStorage(AuthConfig.by_access_token(emulator.url, EMULATOR_TOKEN))


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "rows"
    folder.mkdir()
    (folder / "train.csv").write_text("a,b\n1,2\n")
    return folder


def _upload(storage: FrogMLStorage, source: Path, version: str = "1") -> UploadDatasetRequest:
    return UploadDatasetRequest(
        repository="ml-local", name="rows", source_path=str(source), version=version
    )


def test_a_download_replaces_a_different_file_only_with_overwrite(
    storage: FrogMLStorage, source: Path, tmp_path: Path
) -> None:
    storage.upload_dataset_version("ml-local", "rows", str(source), version="1")
    out = tmp_path / "out"
    out.mkdir()
    (out / "train.csv").write_text("my edits")
    with pytest.raises(TargetConflictError) as refused:
        storage.download_dataset_version("ml-local", "rows", "1", out)
    assert refused.value.paths == ("train.csv",)
    assert (out / "train.csv").read_text() == "my edits"
    request = DownloadDatasetRequest(
        repository="ml-local", name="rows", version="1", target_path=str(out)
    )
    plan = storage.plan_download(request)
    assert [(f.path, f.conflict) for f in plan.conflicts] == [("train.csv", Presence.DIFFERS)]
    assert isinstance(plan.refusal(overwrite=False), TargetConflictError)
    storage.download_dataset_version("ml-local", "rows", "1", out, overwrite=True)
    assert (out / "train.csv").read_text() == "a,b\n1,2\n"


def test_an_upload_plan_raises_what_the_upload_raises_for_a_published_version(
    storage: FrogMLStorage, source: Path
) -> None:
    storage.upload(_upload(storage, source))
    for run in (storage.plan_upload, storage.upload):
        with pytest.raises(AlreadyExistsError):
            run(_upload(storage, source))
    plan = storage.plan_upload(_upload(storage, source, version="2"))
    assert [f.path for f in (*plan.transfer, *plan.reuse)] == ["train.csv"]


def test_an_upload_plan_raises_what_the_upload_raises_for_a_server_that_refuses(
    emulator: Emulator, source: Path
) -> None:
    missing = UploadDatasetRequest(repository="no-such", name="rows", source_path=str(source))
    storage = FrogMLStorage(AuthConfig.by_access_token(emulator.url, EMULATOR_TOKEN))
    for run in (storage.plan_upload, storage.upload):
        with pytest.raises(NotFoundError):
            run(missing)
    wrong = FrogMLStorage(AuthConfig.by_access_token(emulator.url, "wrong-token"))
    for run in (wrong.plan_upload, wrong.upload):
        with pytest.raises(AuthenticationError):
            run(_upload(wrong, source))


def test_an_upload_plan_raises_what_the_upload_raises_for_an_unreachable_server(
    source: Path,
) -> None:
    credentials = Credentials(url=closed_port_url(), access_token="t", source="tests")
    settings = ArtifactorySettings(credentials=credentials, retry=RetryPolicy(max_attempts=1))
    storage = FrogMLStorage(store=ArtifactoryStore(settings))
    for run in (storage.plan_upload, storage.upload):
        with pytest.raises(TransientError, match="cannot connect"):
            run(_upload(storage, source))


def test_a_server_can_be_required_in_code_or_by_the_environment(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path)}
    assert FrogMLStorage(env=env).fallback_store == str(tmp_path / ".frogml" / "store")
    with pytest.raises(ConfigurationError, match="no server configured") as refused:
        FrogMLStorage(env=env, require_server=True)
    assert "frogml login" in str(refused.value)
    with pytest.raises(ConfigurationError):
        FrogMLStorage(env={**env, "FROGML_REQUIRE_SERVER": "1"})
    with pytest.raises(ConfigurationError, match="FROGML_REQUIRE_SERVER must be"):
        FrogMLStorage(env={**env, "FROGML_REQUIRE_SERVER": "maybe"})
    assert FrogMLStorage(env={**env, "FROGML_REQUIRE_SERVER": "0"}).fallback_store is not None
    explicit = FrogMLStorage(AuthConfig((tmp_path / "s").as_uri()), env=env, require_server=True)
    assert explicit.fallback_store is None  # an explicit embedded store is configured


def test_the_library_logs_the_fallback_only_to_an_application_that_listens(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    handlers = logging.getLogger("frogml").handlers
    assert any(isinstance(h, logging.NullHandler) for h in handlers)
    with caplog.at_level(logging.WARNING, logger="frogml"):
        FrogMLStorage(env={"HOME": str(tmp_path)})
    assert [r.getMessage().split()[0] for r in caplog.records] == ["embedded_store_used"]
