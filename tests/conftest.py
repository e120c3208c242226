"""Suite-wide fixtures: every test runs with its own HOME and no frogml settings
from the machine, so nothing a developer configured can leak in or be touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from tests.integration.options import add_options

# Deterministic and free of wall-clock limits: the same examples on every run, no
# deadline. `pytest --hypothesis-profile=explore` draws fresh examples.
settings.register_profile("deterministic", derandomize=True, deadline=None, database=None)
settings.register_profile("explore", deadline=None)
settings.load_profile("deterministic")

# The emulator, the integration tests' target (the emulator or a real server), and
# HTTPS: a throw-away CA, emulators serving TLS, a CONNECT proxy.
pytest_plugins = ["emulator.fixtures", "tests.integration.fixtures", "tests.integration.tls"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--rt_url`` and friends point the integration tests at a real Artifactory."""
    add_options(parser)


_MACHINE_SETTINGS = (
    "JF_URL",
    "JF_ACCESS_TOKEN",
    "JFML_THREAD_COUNT",
    "JFML_TIMEOUT",
    "JFML_DEBUG",
    "JFML_LOG_FORMAT",
    "FROGML_STORE_DIR",
    "FROGML_CACHE_DIR",
    "XDG_CACHE_HOME",
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "https_proxy",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUESTS_CA_BUNDLE",
    "SSL_CERT_FILE",
    "FROGML_REQUIRE_SERVER",
    "CI",  # the CLI says more in CI; a test that means CI sets it
)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh, empty HOME for each test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in _MACHINE_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return home
