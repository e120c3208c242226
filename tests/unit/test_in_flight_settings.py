"""The in-flight cap and the thread count: validated, and how they relate."""

from __future__ import annotations

import pytest

from frogml.adapters.artifactory.settings import ArtifactorySettings, RangePolicy
from frogml.domain.errors import ConfigurationError
from frogml.domain.model.settings import TransferSettings
from frogml.domain.ports.credentials import Credentials

SERVER = Credentials(url="https://acme.jfrog.io/artifactory", access_token="t")


def test_by_default_transfers_adapt_from_32_down() -> None:
    settings = ArtifactorySettings.from_environment(SERVER, {})
    assert settings.adaptive
    assert (settings.first_threads, settings.most_threads, settings.in_flight) == (32, 32, 32)


def test_a_thread_count_pins_the_transfers_and_raises_the_cap_when_above_it() -> None:
    pinned = ArtifactorySettings.from_environment(SERVER, {"JFML_THREAD_COUNT": "4"})
    assert not pinned.adaptive
    assert (pinned.first_threads, pinned.most_threads, pinned.in_flight) == (4, 4, 32)
    many = ArtifactorySettings.from_environment(SERVER, {}, TransferSettings(threads=48))
    assert (many.first_threads, many.most_threads, many.in_flight) == (48, 48, 48)


def test_the_cap_comes_from_the_option_before_the_environment() -> None:
    env = {"JFML_MAX_IN_FLIGHT": "16"}
    assert ArtifactorySettings.from_environment(SERVER, env).in_flight == 16
    chosen = TransferSettings(max_in_flight=4)
    settings = ArtifactorySettings.from_environment(SERVER, env, chosen)
    assert (settings.first_threads, settings.most_threads, settings.in_flight) == (4, 4, 4)


@pytest.mark.parametrize("raw", ["0", "65", "abc", "2.5", "-1"])
def test_a_bad_cap_in_the_environment_is_a_clear_error(raw: str) -> None:
    with pytest.raises(ConfigurationError, match="JFML_MAX_IN_FLIGHT must be a whole number"):
        ArtifactorySettings.from_environment(SERVER, {"JFML_MAX_IN_FLIGHT": raw})


@pytest.mark.parametrize("value", [0, 65, True, 2.5])
def test_a_bad_cap_in_code_is_a_clear_error(value: object) -> None:
    with pytest.raises(ConfigurationError, match="max_in_flight must be between 1 and 64"):
        TransferSettings(max_in_flight=value)  # type: ignore[arg-type]


def test_more_threads_than_requests_in_flight_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="cannot exceed"):
        TransferSettings(threads=8, max_in_flight=4)
    env = {"JFML_THREAD_COUNT": "8", "JFML_MAX_IN_FLIGHT": "4"}
    with pytest.raises(ConfigurationError, match="8 threads cannot exceed 4 requests in flight"):
        ArtifactorySettings.from_environment(SERVER, env)


def test_range_policy_adapts_by_default_and_checks_its_numbers() -> None:
    policy = RangePolicy()
    assert policy.adaptive
    assert policy.applies(256 << 20)
    assert not policy.applies(4 << 20)  # under JFrog CLI's 5 MiB
    assert not RangePolicy(parts=1).applies(1 << 30)
    for bad in ({"max_parts": 0}, {"target_rate": 0.0}, {"probe": 0}, {"parts": 65}):
        with pytest.raises(ConfigurationError):
            RangePolicy(**bad)
