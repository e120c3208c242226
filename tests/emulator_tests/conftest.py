"""Fixtures for the emulator's own tests: an emulator and a urllib3 client for it."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
import urllib3

from emulator.fixtures import emulator  # noqa: F401  (the fixture itself)

TOKEN = {"Authorization": "Bearer test-token"}


def basic(user: str, secret: str) -> dict[str, str]:
    encoded = base64.b64encode(f"{user}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


@pytest.fixture
def http() -> Iterator[urllib3.PoolManager]:
    """No retries: the tests look at exactly what the emulator answered."""
    with urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=5, read=30)) as pool:
        yield pool
