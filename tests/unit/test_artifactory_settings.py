"""ArtifactorySettings read from an environment mapping (never from os.environ)."""

from __future__ import annotations

import pytest

from frogml.adapters.artifactory import ArtifactorySettings
from frogml.domain.errors import ConfigurationError
from frogml.domain.model.settings import TransferSettings
from frogml.domain.ports.credentials import Credentials

HTTPS = Credentials(url="https://acme.jfrog.io", access_token="tok-SECRET")
HTTP = Credentials(url="http://10.0.0.5:8081/artifactory")


def test_an_empty_environment_gives_the_defaults() -> None:
    settings = ArtifactorySettings.from_environment(HTTPS, {})
    assert (settings.connect_timeout, settings.read_timeout) == (10.0, 300.0)
    assert settings.thread_count == 8
    assert settings.verify_tls is True
    assert settings.proxy_url is None
    assert settings.ca_bundle is None


def test_jfml_timeout_is_parsed_as_a_number_of_seconds() -> None:
    settings = ArtifactorySettings.from_environment(HTTPS, {"JFML_TIMEOUT": " 2.5 "})
    assert settings.read_timeout == 2.5
    assert settings.connect_timeout == 2.5
    longer = ArtifactorySettings.from_environment(HTTPS, {"JFML_TIMEOUT": "900"})
    assert (longer.connect_timeout, longer.read_timeout) == (10.0, 900.0)


@pytest.mark.parametrize("value", ["abc", "0", "-3", "nan", "inf", "10s"])
def test_an_invalid_jfml_timeout_names_the_variable(value: str) -> None:
    with pytest.raises(ConfigurationError, match="JFML_TIMEOUT") as caught:
        ArtifactorySettings.from_environment(HTTPS, {"JFML_TIMEOUT": value})
    assert caught.value.source == "JFML_TIMEOUT"


@pytest.mark.parametrize(("value", "ok"), [("16", True), ("1", True), ("0", False), ("x", False)])
def test_jfml_thread_count(value: str, ok: bool) -> None:
    env = {"JFML_THREAD_COUNT": value}
    if ok:
        assert ArtifactorySettings.from_environment(HTTPS, env).thread_count == int(value)
    else:
        with pytest.raises(ConfigurationError, match="JFML_THREAD_COUNT"):
            ArtifactorySettings.from_environment(HTTPS, env)


def test_the_proxy_matching_the_scheme_is_used_lowercase_first() -> None:
    env = {
        "HTTPS_PROXY": "http://upper:3128",
        "https_proxy": "http://lower:3128",
        "HTTP_PROXY": "http://plain:3128",
        "NO_PROXY": "localhost, .internal ,",
    }
    assert ArtifactorySettings.from_environment(HTTPS, env).proxy_url == "http://lower:3128"
    plain = ArtifactorySettings.from_environment(HTTP, env)
    assert plain.proxy_url == "http://plain:3128"
    assert plain.no_proxy == ("localhost", ".internal")


def test_the_ca_bundle_comes_from_requests_or_ssl_variables() -> None:
    env = {"SSL_CERT_FILE": "/etc/ssl/b.pem"}
    assert ArtifactorySettings.from_environment(HTTPS, env).ca_bundle == "/etc/ssl/b.pem"
    env["REQUESTS_CA_BUNDLE"] = "/etc/ssl/a.pem"
    assert ArtifactorySettings.from_environment(HTTPS, env).ca_bundle == "/etc/ssl/a.pem"


@pytest.mark.parametrize(
    ("env", "chosen", "expected"),
    [
        ({}, None, (None, "system", ())),
        ({"SSL_CERT_FILE": "/b.pem"}, None, ("/b.pem", "SSL_CERT_FILE", ())),
        (
            {"SSL_CERT_FILE": "/b.pem", "REQUESTS_CA_BUNDLE": "/a.pem"},
            None,
            ("/a.pem", "REQUESTS_CA_BUNDLE", ("SSL_CERT_FILE",)),
        ),
        (
            {"SSL_CERT_FILE": "/same.pem", "REQUESTS_CA_BUNDLE": "/same.pem"},
            None,
            ("/same.pem", "REQUESTS_CA_BUNDLE", ()),
        ),
        (
            {"SSL_CERT_FILE": "/b.pem", "REQUESTS_CA_BUNDLE": "/a.pem"},
            "/cli.pem",
            ("/cli.pem", "option", ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")),
        ),
        ({"REQUESTS_CA_BUNDLE": " "}, None, (None, "system", ())),
    ],
)
def test_the_settings_record_where_the_ca_bundle_came_from_and_what_it_outranked(
    env: dict[str, str], chosen: str | None, expected: tuple[object, ...]
) -> None:
    settings = ArtifactorySettings.from_environment(HTTPS, env, TransferSettings(ca_bundle=chosen))
    found = (settings.ca_bundle, settings.ca_bundle_source, settings.ca_bundle_outranked)
    assert found == expected


def test_a_ca_bundle_given_in_code_counts_as_chosen() -> None:
    assert ArtifactorySettings(credentials=HTTPS, ca_bundle="/x.pem").ca_bundle_source == "option"
    no_bundle = ArtifactorySettings(credentials=HTTPS, ca_bundle_source="SSL_CERT_FILE")
    assert no_bundle.ca_bundle_source == "system"


def test_no_secret_shows_in_the_repr() -> None:
    env = {"HTTPS_PROXY": "http://proxyuser:proxy-SECRET@proxy:3128"}
    settings = ArtifactorySettings.from_environment(HTTPS, env)
    assert "SECRET" not in repr(settings)


def test_chosen_settings_win_over_the_environment_which_is_then_not_read() -> None:
    env = {
        "JFML_TIMEOUT": "not a number",
        "JFML_THREAD_COUNT": "0",
        "HTTPS_PROXY": "http://env-proxy:3128",
        "REQUESTS_CA_BUNDLE": "/etc/ssl/env.pem",
    }
    chosen = TransferSettings(
        timeout=5, threads=3, proxy="http://cli-proxy:3128", ca_bundle="/cli.pem", insecure=True
    )
    settings = ArtifactorySettings.from_environment(HTTPS, env, chosen)
    assert (settings.connect_timeout, settings.read_timeout) == (5, 5)
    assert settings.thread_count == 3
    assert settings.proxy_url == "http://cli-proxy:3128"
    assert settings.ca_bundle == "/cli.pem"
    assert settings.verify_tls is False


def test_settings_left_unset_fall_back_to_the_environment() -> None:
    env = {"JFML_TIMEOUT": "7", "JFML_INSECURE": "true"}
    settings = ArtifactorySettings.from_environment(HTTPS, env, TransferSettings(threads=2))
    assert settings.read_timeout == 7
    assert settings.thread_count == 2
    assert settings.verify_tls is False


@pytest.mark.parametrize("bad", [{"timeout": 0}, {"timeout": float("nan")}, {"threads": 65}])
def test_transfer_settings_refuse_impossible_values(bad: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        TransferSettings(**bad)  # type: ignore[arg-type]
