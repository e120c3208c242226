"""Where credentials come from: the environment and JFrog CLI's config file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from frogml.adapters.credentials import EnvironmentSource, JfrogCliConfig
from frogml.domain.errors import ConfigurationError


def test_environment_with_url_and_token_gives_token_credentials() -> None:
    found = EnvironmentSource({"JF_URL": "https://acme.jfrog.io", "JF_ACCESS_TOKEN": "tok"}).load()
    assert found is not None
    assert (found.url, found.access_token, found.source) == (
        "https://acme.jfrog.io",
        "tok",
        "environment",
    )


def test_environment_with_url_only_is_anonymous() -> None:
    found = EnvironmentSource({"JF_URL": "https://acme.jfrog.io"}).load()
    assert found is not None
    assert found.is_anonymous


def test_environment_without_url_configures_nothing() -> None:
    assert EnvironmentSource({"HOME": "/home/x", "JF_URL": "  "}).load() is None


def test_a_token_without_url_is_an_error_naming_both_variables() -> None:
    with pytest.raises(ConfigurationError) as caught:
        EnvironmentSource({"JF_ACCESS_TOKEN": "secret-token-value"}).load()
    message = str(caught.value)
    assert "JF_ACCESS_TOKEN" in message
    assert "JF_URL" in message
    assert "secret-token-value" not in message


def _jfrog_config(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "jfrog-cli.conf.v6"
    path.write_text(json.dumps(document))
    return path


SAMPLE: dict[str, Any] = {
    "servers": [
        {
            "serverId": "first",
            "url": "https://one.jfrog.io/",
            "artifactoryUrl": "https://one.jfrog.io/artifactory/",
            "user": "carol",
            "password": "carol-pw",
            "distributionUrl": "https://one.jfrog.io/distribution/",
        },
        {
            "serverId": "main",
            "url": "https://two.jfrog.io/",
            "accessToken": "eyJ-token",
            "isDefault": True,
            "refreshToken": "r",
        },
    ],
    "version": "6",
}


def test_jfrog_cli_config_lists_servers_and_uses_the_marked_default(tmp_path: Path) -> None:
    config = JfrogCliConfig(_jfrog_config(tmp_path, SAMPLE))
    servers = config.servers()
    assert [(s.server_id, s.is_default) for s in servers] == [("first", False), ("main", True)]
    assert servers[0].credentials.url == "https://one.jfrog.io/artifactory/"
    assert (servers[0].credentials.user, servers[0].credentials.password) == ("carol", "carol-pw")
    found = config.load()
    assert found is not None
    assert (found.url, found.access_token) == ("https://two.jfrog.io/", "eyJ-token")
    assert found.source == f"JFrog CLI config {config.location}"


def test_jfrog_cli_config_without_a_marked_default_uses_the_first(tmp_path: Path) -> None:
    document = {"servers": [dict(SAMPLE["servers"][0])], "version": "6"}
    found = JfrogCliConfig(_jfrog_config(tmp_path, document)).load()
    assert found is not None
    assert found.user == "carol"


def test_an_absent_jfrog_cli_config_lists_nothing(tmp_path: Path) -> None:
    config = JfrogCliConfig(tmp_path / "missing.conf.v6")
    assert config.servers() == []
    assert config.load() is None


@pytest.mark.parametrize(
    "content",
    [
        json.dumps(
            {"servers": [{"serverId": "x", "url": "u", "password": "ENC(abc)"}], "enc": True}
        ),
        "U2FsdGVkX1+vupppZksvRf5pq5g5XjFRIipRkwB0K1Y=",
    ],
    ids=["enc-marker", "not-json"],
)
def test_an_encrypted_jfrog_cli_config_is_an_error_naming_the_file(
    tmp_path: Path, content: str
) -> None:
    path = tmp_path / "jfrog-cli.conf.v6"
    path.write_text(content)
    with pytest.raises(ConfigurationError) as caught:
        JfrogCliConfig(path).servers()
    message = str(caught.value)
    assert str(path) in message
    assert "encrypt" in message
    assert "--token" in message
    assert "ENC(abc)" not in message


def test_a_jfrog_cli_config_of_the_wrong_shape_names_the_file(tmp_path: Path) -> None:
    path = _jfrog_config(tmp_path, {"servers": "none"})
    with pytest.raises(ConfigurationError, match=r"jfrog-cli\.conf\.v6"):
        JfrogCliConfig(path).load()


def test_a_jfrog_cli_config_with_fields_this_version_does_not_know_is_read(
    tmp_path: Path,
) -> None:
    document = {
        "servers": [{**SAMPLE["servers"][1], "webLogin": True, "sshKeyPath": None, "x": [1]}],
        "version": 7,  # a number, in some future JFrog CLI: not read, so not checked
        "newTopLevel": {"a": 1},
    }
    found = JfrogCliConfig(_jfrog_config(tmp_path, document)).load()
    assert found is not None
    assert found.access_token == "eyJ-token"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"servers": "none"}, "has an unexpected shape: servers must be a list"),
        ({"servers": [3]}, "servers[0] must be a JSON object"),
        ({"servers": [{"serverId": "a", "accessToken": 5}]}, "servers[0].accessToken must be text"),
        ({"servers": [{"url": "u", "isDefault": "yes"}]}, "servers[0].isDefault must be true or"),
        ([], "the top level must be a JSON object"),
    ],
)
def test_a_jfrog_cli_config_of_the_wrong_shape_is_explained_in_plain_words(
    tmp_path: Path, document: object, message: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        JfrogCliConfig(_jfrog_config(tmp_path, document)).servers()
    assert message in str(caught.value)
    assert "Expected" not in str(caught.value)


def test_a_token_without_url_says_the_server_is_unknown_and_how_to_fix_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        EnvironmentSource({"JF_ACCESS_TOKEN": "secret-token-value"}).load()
    assert caught.value.message == (
        "JF_ACCESS_TOKEN is set but JF_URL is not, so the token's server is unknown"
    )
    assert caught.value.hint is not None
    assert "set JF_URL" in caught.value.hint
    assert "unset JF_ACCESS_TOKEN" in caught.value.hint
