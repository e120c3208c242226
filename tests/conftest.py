"""Suite-wide fixtures: every test runs with its own HOME and no frogml settings
from the machine, so nothing a developer configured can leak in or be touched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.emulator.fixtures"]

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
)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A fresh, empty HOME for each test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in _MACHINE_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    yield home
