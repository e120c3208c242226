"""Messages that tell a user what went wrong and what to do."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from frogml import FrogMLStorage
from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RetryPolicy
from frogml.adapters.cli._errors import report
from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore, ManualClock
from frogml.domain.errors import (
    AlreadyExistsError,
    AuthenticationError,
    ConfigurationError,
    TransientError,
    ValidationError,
)
from frogml.domain.ports.credentials import Credentials


def _memory_storage() -> tuple[FrogMLStorage, InMemoryFileSystem]:
    disk = InMemoryFileSystem()
    disk.add_file("/data/a.csv", b"1,2\n")
    disk.add_file("/data/b.csv", b"3,4\n")
    return FrogMLStorage(store=InMemoryStore(clock=ManualClock()), filesystem=disk), disk


def test_two_uploads_in_the_same_second_say_the_default_version_clashed() -> None:
    storage, _ = _memory_storage()
    storage.upload_dataset_version("r", "d", "/data")
    with pytest.raises(AlreadyExistsError, match="default version is the upload time") as caught:
        storage.upload_dataset_version("r", "d", "/data")
    assert caught.value.hint is not None
    assert "give a version" in caught.value.hint


def test_a_chosen_version_that_exists_keeps_the_plain_message() -> None:
    storage, _ = _memory_storage()
    storage.upload_dataset_version("r", "d", "/data", version="1")
    with pytest.raises(AlreadyExistsError) as caught:
        storage.upload_dataset_version("r", "d", "/data", version="1")
    assert "default version" not in str(caught.value)


def test_a_download_whose_patterns_match_nothing_is_refused_and_creates_nothing() -> None:
    storage, disk = _memory_storage()
    storage.upload_dataset_version("r", "d", "/data", version="1")
    with pytest.raises(ValidationError, match="matches the include/exclude patterns"):
        storage.download_dataset_version("r", "d", "1", "/out", include="*.parquet")
    assert not disk.exists("/out")


def test_a_malformed_server_url_names_the_url_and_where_it_came_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JF_URL", "notaurl")
    with pytest.raises(ConfigurationError) as caught:
        FrogMLStorage()
    assert "'notaurl'" in str(caught.value)
    assert "environment" in str(caught.value)


def test_a_refused_connection_names_host_and_port_without_urllib3_internals(
    tmp_path: Path,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    credentials = Credentials(url=f"http://127.0.0.1:{port}", access_token="t")
    store = ArtifactoryStore(
        ArtifactorySettings(credentials=credentials, retry=RetryPolicy(max_attempts=1))
    )
    with pytest.raises(TransientError) as caught:
        store.ping()
    assert f"cannot connect to 127.0.0.1:{port} (connection refused)" in str(caught.value)
    assert "HTTPConnection" not in str(caught.value)


@pytest.mark.parametrize(
    ("env", "named", "not_named"),
    [
        (
            {"JF_URL": "https://a", "JF_ACCESS_TOKEN": "t"},
            ["JF_URL and JF_ACCESS_TOKEN", "fix or unset them"],
            ["frogml login --url"],
        ),
        ({"JF_URL": "https://a"}, ["JF_URL", 'frogml login --url "$JF_URL"'], ["JF_ACCESS_TOKEN"]),
        ({"JF_ACCESS_TOKEN": "t"}, ["frogml login"], ["JF_URL", "JF_ACCESS_TOKEN"]),
        ({}, ["frogml login"], ["JF_URL", "JF_ACCESS_TOKEN"]),
    ],
    ids=["url-and-token", "url-alone", "token-alone", "nothing"],
)
def test_a_refusal_hint_names_only_the_variables_that_are_set(
    env: dict[str, str],
    named: list[str],
    not_named: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert report(AuthenticationError("the server rejected the credentials"), env=env) == 3
    line = capsys.readouterr().err.strip()
    assert line.startswith("Error: the server rejected the credentials (")
    for word in named:
        assert word in line
    for word in not_named:
        assert word not in line
