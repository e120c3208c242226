"""~/.frogml/config.json: round trips, permissions, atomic writes and clear errors."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

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
        ('{"servers": [{"artifactory_url": "https://a", "password": "pw-x"}]}', "needs a user"),
        (
            '{"servers": [{"artifactory_url": "https://a", "server_id": "s"},'
            ' {"artifactory_url": "https://b", "server_id": "s"}]}',
            "twice",
        ),
        ("[]", "is invalid: the top level must be a JSON object"),
        ('{"servers": {}}', "is invalid: servers must be a list"),
        ('{"servers": ["https://a"]}', "is invalid: servers[0] must be a JSON object"),
        ('{"servers": [{"user": "u"}]}', "is invalid: servers[0].artifactory_url is missing"),
        ('{"servers": [{"artifactory_url": 7}]}', "servers[0].artifactory_url must be text"),
        (
            '{"servers": [{"artifactory_url": "https://a", "access_token": 1234}]}',
            "is invalid: servers[0].access_token must be text",
        ),
        (
            '{"servers": [{"artifactory_url": "https://a"},'
            ' {"artifactory_url": "https://b", "is_default": "yes"}]}',
            "is invalid: servers[1].is_default must be true or false",
        ),
    ],
    ids=[
        "corrupt", "empty", "password-alone", "dup-id", "not-an-object", "servers-not-a-list",
        "server-not-an-object", "no-url", "url-not-text", "token-not-text", "default-not-a-flag",
    ],
)  # fmt: skip
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
    assert "Expected" not in str(caught.value)
    assert "$." not in str(caught.value)  # plain words, never the decoder's jargon
    assert "frogml login" in str(caught.value)  # the way out


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


# -- a file a newer frogml wrote: unknown fields are ignored and kept ------------------

NEWER: dict[str, Any] = {
    "servers": [
        {
            "server_id": "old",
            "artifactory_url": "https://old/artifactory",
            "access_token": "old-token",
            "tls": {"ca": "/etc/ca.pem"},
        },
        {"server_id": "keep", "artifactory_url": "https://keep/artifactory", "repo": "ml"},
    ],
    "extra": 1,
    "settings": {"threads": 8},
}


def _write(path: Path, document: object) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(document))


def test_unknown_fields_are_ignored_when_reading(path: Path) -> None:
    _write(path, {"servers": [], "extra": 1})
    assert FrogMLConfigFile(path).servers() == []
    _write(path, NEWER)
    servers = FrogMLConfigFile(path).servers()
    assert [(s.server_id, s.credentials.url) for s in servers] == [
        ("old", "https://old/artifactory"),
        ("keep", "https://keep/artifactory"),
    ]


def test_a_login_keeps_the_unknown_fields_of_the_file_and_of_the_kept_servers(
    path: Path,
) -> None:
    _write(path, NEWER)
    FrogMLConfigFile(path).save("new", Credentials(url="https://new", access_token=TOKEN))
    document = json.loads(path.read_text())
    assert (document["extra"], document["settings"]) == (1, {"threads": 8})
    old, keep, new = document["servers"]
    assert old["tls"] == {"ca": "/etc/ca.pem"}
    assert keep["repo"] == "ml"
    assert set(new) == {"server_id", "artifactory_url", "access_token", "is_default"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_logging_in_again_to_a_server_keeps_its_unknown_fields(path: Path) -> None:
    _write(path, NEWER)
    config = FrogMLConfigFile(path)
    config.save("old", Credentials(url="https://old", access_token="fresh-token-0123"))
    [_, old] = json.loads(path.read_text())["servers"]
    assert (old["access_token"], old["tls"]) == ("fresh-token-0123", {"ca": "/etc/ca.pem"})
    config.save("old", Credentials(url="https://elsewhere", access_token="t"))
    [_, moved] = json.loads(path.read_text())["servers"]
    assert "tls" not in moved  # the id now names another server: its settings do not apply


def test_a_logout_keeps_the_unknown_fields_and_the_file_that_holds_them(path: Path) -> None:
    _write(path, NEWER)
    config = FrogMLConfigFile(path)
    assert config.remove("old") is not None
    document = json.loads(path.read_text())
    assert document["extra"] == 1
    assert document["servers"] == [NEWER["servers"][1]]
    assert config.remove("keep") is not None
    assert json.loads(path.read_text()) == {"servers": [], "extra": 1, "settings": {"threads": 8}}


_json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
_unknown_key = st.text(min_size=1).filter(
    lambda k: k not in ("servers", "server_id", "artifactory_url", "user", "password",
                        "access_token", "is_default")
)  # fmt: skip


@given(top=st.dictionaries(_unknown_key, _json_value, max_size=3),
       inner=st.dictionaries(_unknown_key, _json_value, max_size=3))  # fmt: skip
def test_any_unknown_field_survives_a_rewrite_unchanged(
    tmp_path_factory: pytest.TempPathFactory, top: dict[str, object], inner: dict[str, object]
) -> None:
    path = tmp_path_factory.mktemp("cfg") / "config.json"
    path.write_text(json.dumps({"servers": [{"artifactory_url": "https://a", **inner}], **top}))
    FrogMLConfigFile(path).save("b", Credentials(url="https://b"))
    document = json.loads(path.read_text())
    assert {k: v for k, v in document.items() if k != "servers"} == top
    assert {k: document["servers"][0][k] for k in inner} == inner


# -- repair: what `frogml login` does to a damaged file --------------------------------


def test_repairing_a_sound_or_absent_file_changes_nothing(path: Path) -> None:
    config = FrogMLConfigFile(path)
    assert config.repair() is None
    assert not path.exists()
    _write(path, NEWER)
    before = path.read_bytes()
    assert config.repair() is None
    assert path.read_bytes() == before
    assert not path.with_name("config.json.bak").exists()


def test_repairing_malformed_json_keeps_a_private_copy_and_starts_afresh(path: Path) -> None:
    path.parent.mkdir()
    path.write_text('{"servers": [{"access_token": "tok-secret"')
    config = FrogMLConfigFile(path)
    copy = config.repair()
    assert copy == str(path.with_name("config.json.bak"))
    assert Path(copy).read_text() == '{"servers": [{"access_token": "tok-secret"'
    assert stat.S_IMODE(Path(copy).stat().st_mode) == 0o600
    assert config.servers() == []
    config.save("a", Credentials(url="https://a", access_token=TOKEN))
    assert [s.server_id for s in config.servers()] == ["a"]


def test_repairing_wrong_types_keeps_every_server_that_can_still_be_read(path: Path) -> None:
    _write(
        path,
        {
            "servers": [
                {"server_id": "good", "artifactory_url": "https://good", "access_token": "t"},
                {"server_id": "bad", "artifactory_url": "https://bad", "access_token": 12},
                "not a server",
                {"server_id": "good", "artifactory_url": "https://twice"},
                {"server_id": "also", "artifactory_url": "https://also", "note": "kept"},
            ],
            "extra": 1,
        },
    )
    config = FrogMLConfigFile(path)
    with pytest.raises(ConfigurationError, match=r"servers\[1\]\.access_token must be text"):
        config.servers()
    assert config.repair() is not None
    assert [(s.server_id, s.credentials.url) for s in config.servers()] == [
        ("good", "https://good"),
        ("also", "https://also"),
    ]
    document = json.loads(path.read_text())
    assert (document["extra"], document["servers"][1]["note"]) == (1, "kept")


def test_repairing_a_servers_field_of_the_wrong_type_keeps_the_other_fields(path: Path) -> None:
    _write(path, {"servers": "none", "extra": 1})
    FrogMLConfigFile(path).repair()
    assert json.loads(path.read_text()) == {"servers": [], "extra": 1}
