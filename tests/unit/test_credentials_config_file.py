"""~/.frogml/config.json: round trips, permissions, atomic writes and clear errors."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frogml.adapters.credentials import FrogMLConfigFile
from frogml.adapters.credentials._atomic import write_private
from frogml.domain.errors import ConfigurationError
from frogml.domain.ports.credentials import Credentials

TOKEN = "tok-0123456789abcdef"
PASSWORD = "pw-s3cret-value"


@pytest.fixture
def path(isolated_home: Path) -> Path:
    return isolated_home / ".frogml" / "config.json"


def test_an_absent_file_configures_nothing(path: Path) -> None:
    config = FrogMLConfigFile(path)
    assert config.load() is None
    assert config.servers() == []


def test_a_saved_server_is_loaded_back_with_its_source(path: Path) -> None:
    config = FrogMLConfigFile(path)
    config.save("acme", Credentials(url="https://acme.jfrog.io/artifactory", access_token=TOKEN))
    found = config.load()
    assert found is not None
    assert (found.url, found.access_token) == ("https://acme.jfrog.io/artifactory", TOKEN)
    assert found.source == f"config file {path}"


def test_the_file_keeps_the_documented_format(path: Path) -> None:
    FrogMLConfigFile(path).save(
        "acme", Credentials(url="https://a/artifactory", access_token=TOKEN)
    )
    document = json.loads(path.read_text())
    assert document == {
        "servers": [
            {
                "server_id": "acme",
                "artifactory_url": "https://a/artifactory",
                "access_token": TOKEN,
                "is_default": True,
            }
        ]
    }


def test_the_file_is_0600_in_a_0700_folder(path: Path) -> None:
    FrogMLConfigFile(path).save("a", Credentials(url="https://a", user="u", password=PASSWORD))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_existing_open_folder_is_tightened_to_0700(path: Path) -> None:
    path.parent.mkdir()
    os.chmod(path.parent, 0o755)  # noqa: S103  (the open folder under test)
    FrogMLConfigFile(path).save("a", Credentials(url="https://a"))
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_saving_replaces_the_file_by_rename_and_leaves_no_temporary_file(path: Path) -> None:
    config = FrogMLConfigFile(path)
    config.save("a", Credentials(url="https://a"))
    before = path.stat().st_ino
    config.save("b", Credentials(url="https://b"))
    assert path.stat().st_ino != before  # a new file renamed over the old one
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.json"]


def test_a_write_failing_midway_keeps_the_old_file_and_leaves_no_temporary(path: Path) -> None:
    FrogMLConfigFile(path).save("a", Credentials(url="https://a"))
    old = path.read_bytes()
    with pytest.raises(TypeError):
        write_private(path, "text is not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == old
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.json"]


def test_a_file_that_cannot_be_written_is_an_error_naming_it(path: Path) -> None:
    path.parent.mkdir()
    blocked = path.parent / "not-a-folder"
    blocked.write_text("a file")
    target = blocked / "config.json"  # its parent is a file: reading finds nothing, writing fails
    with pytest.raises(ConfigurationError) as caught:
        FrogMLConfigFile(target).save("b", Credentials(url="https://b", access_token=TOKEN))
    assert str(target) in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_the_last_saved_server_is_the_default_and_others_are_kept(path: Path) -> None:
    config = FrogMLConfigFile(path)
    config.save("a", Credentials(url="https://a"))
    config.save("b", Credentials(url="https://b"))
    assert [(s.server_id, s.is_default) for s in config.servers()] == [("a", False), ("b", True)]
    config.save("a", Credentials(url="https://a2"))
    servers = config.servers()
    assert [(s.server_id, s.credentials.url, s.is_default) for s in servers] == [
        ("b", "https://b", False),
        ("a", "https://a2", True),
    ]


def test_without_a_default_marker_the_first_server_is_used(path: Path) -> None:
    path.parent.mkdir()
    path.write_text(
        json.dumps(
            {
                "servers": [
                    {"artifactory_url": "https://one/artifactory", "access_token": "t1"},
                    {"artifactory_url": "https://two/artifactory", "server_id": "two"},
                ]
            }
        )
    )
    config = FrogMLConfigFile(path)
    found = config.load()
    assert found is not None
    assert found.url == "https://one/artifactory"
    assert [s.server_id for s in config.servers()] == ["one", "two"]


def test_removing_the_default_makes_the_first_remaining_server_used(path: Path) -> None:
    config = FrogMLConfigFile(path)
    config.save("a", Credentials(url="https://a"))
    config.save("b", Credentials(url="https://b"))
    removed = config.remove()
    assert removed is not None
    assert removed.server_id == "b"
    found = config.load()
    assert found is not None
    assert found.url == "https://a"


def test_removing_the_last_server_deletes_the_file(path: Path) -> None:
    config = FrogMLConfigFile(path)
    config.save("a", Credentials(url="https://a", access_token=TOKEN))
    assert config.remove("a") is not None
    assert not path.exists()
    assert config.remove() is None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not valid JSON"),
        ("", "is not valid JSON"),
        ('{"servers": [{"artifactory_url": "https://a", "passwrd": "x"}]}', "passwrd"),
        ('{"server": []}', "server"),
        ('{"servers": [{"artifactory_url": "https://a", "password": "pw-x"}]}', "needs a user"),
        (
            '{"servers": [{"artifactory_url": "https://a", "server_id": "s"},'
            ' {"artifactory_url": "https://b", "server_id": "s"}]}',
            "twice",
        ),
    ],
    ids=["corrupt", "empty", "unknown-server-key", "unknown-top-key", "password-alone", "dup-id"],
)
def test_a_bad_file_is_an_error_naming_the_file_and_the_problem(
    path: Path, content: str, expected: str
) -> None:
    path.parent.mkdir()
    path.write_text(content)
    with pytest.raises(ConfigurationError) as caught:
        FrogMLConfigFile(path).load()
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)
    assert caught.value.source == str(path)
    assert "pw-x" not in str(caught.value)


def test_an_unreadable_file_is_an_error_naming_the_file(path: Path) -> None:
    path.mkdir(parents=True)  # a folder where the file should be
    with pytest.raises(ConfigurationError, match="cannot be read") as caught:
        FrogMLConfigFile(path).servers()
    assert str(path) in str(caught.value)


def test_a_corrupt_file_is_not_overwritten_by_a_save(path: Path) -> None:
    path.parent.mkdir()
    path.write_text("{corrupt")
    with pytest.raises(ConfigurationError):
        FrogMLConfigFile(path).save("a", Credentials(url="https://a"))
    assert path.read_text() == "{corrupt"


_secret = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1)


@given(user=st.text(min_size=1).filter(str.strip), password=_secret, token=_secret)
def test_any_secret_round_trips_through_the_file(
    tmp_path_factory: pytest.TempPathFactory, user: str, password: str, token: str
) -> None:
    config = FrogMLConfigFile(tmp_path_factory.mktemp("cfg") / "config.json")
    config.save("basic", Credentials(url="https://a", user=user, password=password))
    config.save("token", Credentials(url="https://b", access_token=token))
    basic, bearer = (s.credentials for s in config.servers())
    assert (basic.user, basic.password) == (user, password)
    assert bearer.access_token == token
