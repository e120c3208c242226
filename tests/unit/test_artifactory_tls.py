"""How the CA certificates in effect are put into words and log fields."""

from __future__ import annotations

from frogml.adapters.artifactory import ArtifactorySettings
from frogml.adapters.artifactory._tls import default_ca_file, trust_fields, trust_in_effect
from frogml.domain.model.settings import TransferSettings
from frogml.domain.ports.credentials import Credentials

HTTPS = Credentials(url="https://acme.jfrog.io", access_token="tok")


def _settings(env: dict[str, str], chosen: TransferSettings | None = None) -> ArtifactorySettings:
    return ArtifactorySettings.from_environment(HTTPS, env, chosen)


def test_a_chosen_bundle_is_named_with_the_variables_it_outranks() -> None:
    settings = _settings({"SSL_CERT_FILE": "/b.pem"}, TransferSettings(ca_bundle="/cli.pem"))
    assert (
        trust_in_effect(settings)
        == "CA bundle /cli.pem (from --ca-bundle, which outranks SSL_CERT_FILE)"
    )
    assert trust_fields(settings) == {
        "ca_bundle": "/cli.pem",
        "ca_bundle_source": "option",
        "ca_bundle_outranked": ["SSL_CERT_FILE"],
    }


def test_a_variable_alone_is_named_as_the_source() -> None:
    settings = _settings({"REQUESTS_CA_BUNDLE": "/a.pem"})
    assert trust_in_effect(settings) == "CA bundle /a.pem (from REQUESTS_CA_BUNDLE)"
    assert "ca_bundle_outranked" not in trust_fields(settings)


def test_without_a_bundle_the_system_certificates_are_in_effect() -> None:
    settings = _settings({})
    assert trust_in_effect(settings).startswith("the system's default CA certificates")
    assert trust_fields(settings) == {"ca_bundle": default_ca_file(), "ca_bundle_source": "system"}


def test_with_verification_off_no_ca_is_in_effect() -> None:
    settings = _settings({"JFML_INSECURE": "true", "REQUESTS_CA_BUNDLE": "/a.pem"})
    assert "verification is off" in trust_in_effect(settings)
    assert trust_fields(settings) == {"verify_tls": False}
