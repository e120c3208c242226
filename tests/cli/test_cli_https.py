"""The CLI against the emulator over HTTPS: which CA bundle is in effect and where it
came from (doctor, --verbose logs), and one clear line when the certificate is not
trusted, `frogml login` included."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from tests.cli.conftest import Invoke
from tests.integration.tls import Pki, tls_emulator

CA_HINT_WORDS = ("--ca-bundle", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")


def _use(server: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    monkeypatch.setenv("JF_URL", server.url)
    monkeypatch.setenv("JF_ACCESS_TOKEN", EMULATOR_TOKEN)
    return server


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def _doctor(invoke: Invoke, *options: str) -> tuple[int, dict[str, dict[str, Any]]]:
    result = invoke(*options, "doctor", "--json")
    checks = json.loads(result.stdout)["checks"]
    return result.exit_code, {check["name"]: check for check in checks}


def _events(stderr: str, name: str) -> list[dict[str, Any]]:
    events = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    return [event for event in events if event["event"] == name]


def test_verbose_logs_name_the_ca_bundle_option_in_effect(
    invoke: Invoke, https_emulator: Emulator, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(https_emulator, monkeypatch)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/elsewhere.pem")
    result = invoke(
        "--verbose", "--log-format", "json", "--ca-bundle", str(pki.ca_bundle),
        "model", "ls", "ml-local",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [event] = _events(result.stderr, "connection_pool_created")
    assert event["level"] == "info"
    assert event["server"] == https_emulator.base_url
    assert event["ca_bundle"] == str(pki.ca_bundle)
    assert event["ca_bundle_source"] == "option"
    assert event["ca_bundle_outranked"] == ["REQUESTS_CA_BUNDLE"]
    assert EMULATOR_TOKEN not in result.stderr


def test_verbose_console_logs_say_requests_ca_bundle_outranks_ssl_cert_file(
    invoke: Invoke, https_emulator: Emulator, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(https_emulator, monkeypatch)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki.ca_bundle))
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/ssl/mine.pem")
    result = invoke("--verbose", "model", "ls", "ml-local")
    assert result.exit_code == 0, result.stderr
    [line] = [row for row in result.stderr.splitlines() if "connection_pool_created" in row]
    assert str(pki.ca_bundle) in line
    assert "ca_bundle_source=REQUESTS_CA_BUNDLE" in line
    assert "SSL_CERT_FILE" in line  # outranked, and said so


def test_without_verbose_nothing_is_logged(
    invoke: Invoke, https_emulator: Emulator, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(https_emulator, monkeypatch)
    result = invoke("--ca-bundle", str(pki.ca_bundle), "model", "ls", "ml-local")
    assert result.exit_code == 0, result.stderr
    assert "connection_pool_created" not in result.stderr


def test_a_command_against_an_untrusted_certificate_says_so_in_one_line(
    invoke: Invoke, untrusted_emulator: Emulator, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(untrusted_emulator, monkeypatch)
    result = invoke("--ca-bundle", str(pki.ca_bundle), "model", "ls", "ml-local")
    assert result.exit_code == 5  # configuration: which CAs to trust
    line = _one_error_line(result.stderr)
    assert "could not be verified" in line
    assert f"CA bundle {pki.ca_bundle} (from --ca-bundle)" in line
    assert all(word in line for word in CA_HINT_WORDS)


def test_login_to_an_untrusted_server_names_the_bundle_and_what_to_do(
    invoke: Invoke, untrusted_emulator: Emulator, isolated_home: Path
) -> None:
    result = invoke("login", "--url", untrusted_emulator.url, "--token", EMULATOR_TOKEN)
    assert result.exit_code == 5  # configuration: which CAs to trust
    line = _one_error_line(result.stderr)
    assert "could not be verified" in line
    assert "the system's default CA certificates" in line
    assert all(word in line for word in CA_HINT_WORDS)
    assert "check the URL and your network" not in line
    assert not (isolated_home / ".frogml" / "config.json").exists()


def test_login_over_https_trusting_the_ca_from_ssl_cert_file(
    invoke: Invoke, https_emulator: Emulator, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_bundle))
    result = invoke("login", "--url", https_emulator.url, "--token", EMULATOR_TOKEN)
    assert result.exit_code == 0, result.stderr
    assert f"Logged in to {https_emulator.url}" in result.stdout


def test_doctor_verifies_the_certificate_and_shows_its_expiry_and_ca_bundle(
    invoke: Invoke, https_emulator: Emulator, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(https_emulator, monkeypatch)
    code, checks = _doctor(invoke, "--ca-bundle", str(pki.ca_bundle))
    assert code == 0, checks
    tls = checks["tls"]
    assert tls["verdict"] == "ok"
    assert "certificate verified" in tls["detail"]
    assert f"CA bundle {pki.ca_bundle} (from --ca-bundle)" in tls["detail"]
    assert "expires in 399 days" in tls["detail"] or "expires in 400 days" in tls["detail"]
    assert checks["credentials"]["verdict"] == "ok"


def test_doctor_warns_of_a_certificate_about_to_expire(
    invoke: Invoke, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki.ca_bundle))
    with tls_emulator(pki.server_context(valid_for=timedelta(days=5, hours=1))) as server:
        _use(server, monkeypatch)
        code, checks = _doctor(invoke)
    assert code == 0
    assert checks["tls"]["verdict"] == "warn"
    assert "expires in 5 days" in checks["tls"]["detail"]
    assert "(from REQUESTS_CA_BUNDLE)" in checks["tls"]["detail"]


def test_doctor_fails_the_tls_check_of_an_untrusted_certificate(
    invoke: Invoke, untrusted_emulator: Emulator, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(untrusted_emulator, monkeypatch)
    code, checks = _doctor(invoke, "--ca-bundle", str(pki.ca_bundle))
    assert code == 1
    assert checks["server"]["verdict"] == "fail"
    tls = checks["tls"]
    assert tls["verdict"] == "fail"
    assert "could not be verified" in tls["detail"]
    assert f"CA bundle {pki.ca_bundle} (from --ca-bundle)" in tls["detail"]
    assert all(word in tls["detail"] for word in CA_HINT_WORDS)


def test_insecure_reaches_an_untrusted_server_with_a_warning(
    invoke: Invoke, untrusted_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(untrusted_emulator, monkeypatch)
    result = invoke("--insecure", "model", "ls", "ml-local")
    assert result.exit_code == 0, result.stderr
    assert "TLS certificate verification is off" in result.stderr
    assert "Unverified HTTPS request" not in result.stderr
