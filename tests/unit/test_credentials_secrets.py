"""Secrets never show: masking, repr, and error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frogml.adapters.credentials import FrogMLConfigFile, JfrogCliConfig, mask
from frogml.adapters.credentials._format import ServerRecord
from frogml.domain.errors import ConfigurationError
from frogml.domain.ports.credentials import Credentials, ServerEntry

TOKEN = "eyJ2ZXIiOiIyIiwidHlwIjoiSldUIn0.secret-part.signature"
PASSWORD = "correct-horse-battery"


def test_a_long_secret_is_masked_to_its_ends() -> None:
    assert mask("abcdefghijklmnopqrstuvwxyz") == "abc…yz"


def test_a_short_secret_is_fully_hidden() -> None:
    assert mask("short-secret") == "****"


def test_no_secret_is_shown_as_a_dash() -> None:
    assert mask(None) == "-"
    assert mask("") == "-"


@given(st.text(alphabet=st.characters(categories=("L", "N")), min_size=1))
def test_a_masked_secret_never_holds_the_secret(secret: str) -> None:
    assert secret not in mask(secret)


@pytest.mark.parametrize(
    "value",
    [
        Credentials(url="https://a", user="alice", password=PASSWORD),
        Credentials(url="https://a", access_token=TOKEN),
        ServerEntry(server_id="a", credentials=Credentials(url="https://a", access_token=TOKEN)),
        ServerRecord(artifactory_url="https://a", user="u", password=PASSWORD),
        ServerRecord(artifactory_url="https://a", access_token=TOKEN),
    ],
)
def test_repr_and_str_hold_no_secret(value: object) -> None:
    for text in (repr(value), str(value)):
        assert PASSWORD not in text
        assert TOKEN not in text


def test_config_file_errors_hold_no_secret(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(
        json.dumps(
            {
                "servers": [
                    {"artifactory_url": "https://a", "access_token": TOKEN, "typo": PASSWORD},
                    {"artifactory_url": "https://b", "user": 1, "password": PASSWORD},
                ]
            }
        )
    )
    with pytest.raises(ConfigurationError) as caught:
        FrogMLConfigFile(path).load()
    assert "servers[1].user must be text" in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert PASSWORD not in str(caught.value)


def test_jfrog_cli_errors_hold_no_secret(tmp_path: Path) -> None:
    path = tmp_path / "jfrog-cli.conf.v6"
    path.write_text(json.dumps({"servers": [{"url": "u", "password": PASSWORD, "isDefault": 3}]}))
    with pytest.raises(ConfigurationError) as caught:
        JfrogCliConfig(path).load()
    assert PASSWORD not in str(caught.value)
