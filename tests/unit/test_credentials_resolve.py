"""Which credentials are in force: explicit > environment > config file > embedded."""

from __future__ import annotations

from pathlib import Path

import pytest

from frogml.adapters.credentials import EnvironmentSource, FrogMLConfigFile
from frogml.domain.errors import ConfigurationError
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.resolve_credentials import ExplicitSource, resolve_credentials

ENV = {"JF_URL": "https://env.jfrog.io", "JF_ACCESS_TOKEN": "env-token"}
EXPLICIT = Credentials(url="https://explicit.jfrog.io", access_token="explicit-token")


@pytest.fixture
def config(isolated_home: Path) -> FrogMLConfigFile:
    return FrogMLConfigFile(isolated_home / ".frogml" / "config.json")


def _resolve(
    explicit: Credentials | None, env: dict[str, str], config: FrogMLConfigFile
) -> Credentials | None:
    return resolve_credentials([ExplicitSource(explicit), EnvironmentSource(env), config])


def _saved(config: FrogMLConfigFile) -> FrogMLConfigFile:
    config.save("file", Credentials(url="https://file.jfrog.io", access_token="file-token"))
    return config


def test_explicit_settings_win_over_everything(config: FrogMLConfigFile) -> None:
    found = _resolve(EXPLICIT, ENV, _saved(config))
    assert found == EXPLICIT
    assert found is not None
    assert found.source == "explicit"


def test_the_environment_wins_over_the_config_file(config: FrogMLConfigFile) -> None:
    found = _resolve(None, ENV, _saved(config))
    assert found is not None
    assert (found.url, found.source) == ("https://env.jfrog.io", "environment")


def test_the_config_file_is_used_when_nothing_else_is_set(config: FrogMLConfigFile) -> None:
    found = _resolve(None, {}, _saved(config))
    assert found is not None
    assert (found.url, found.source) == ("https://file.jfrog.io", f"config file {config.location}")


def test_nothing_configured_resolves_to_none_for_the_embedded_store(
    config: FrogMLConfigFile,
) -> None:
    assert _resolve(None, {}, config) is None


def test_a_corrupt_config_file_is_not_read_while_the_environment_configures_a_server(
    config: FrogMLConfigFile,
) -> None:
    Path(config.location).parent.mkdir()
    Path(config.location).write_text("{corrupt")
    found = _resolve(None, ENV, config)
    assert found is not None
    assert found.source == "environment"
    with pytest.raises(ConfigurationError):
        _resolve(None, {}, config)


def test_a_broken_environment_is_reported_not_skipped(config: FrogMLConfigFile) -> None:
    with pytest.raises(ConfigurationError, match="JF_URL"):
        _resolve(None, {"JF_ACCESS_TOKEN": "t"}, _saved(config))
