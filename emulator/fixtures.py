"""pytest plugin: `pytest_plugins = ["emulator.fixtures"]` in a conftest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .app import Emulator

__all__ = ["EMULATOR_PASSWORD", "EMULATOR_TOKEN", "EMULATOR_USER", "emulator"]

EMULATOR_TOKEN = "test-token"
EMULATOR_USER = "alice"
EMULATOR_PASSWORD = "alice-pw"
READ_ONLY_USER = "bob"
READ_ONLY_PASSWORD = "bob-pw"


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A fresh emulator per test: token, writer alice, read-only bob, repo ml-local."""
    with Emulator(
        tokens={EMULATOR_TOKEN},
        users={EMULATOR_USER: EMULATOR_PASSWORD},
        read_only_users={READ_ONLY_USER: READ_ONLY_PASSWORD},
        anonymous="off",
        repos=("ml-local",),
    ) as emu:
        yield emu
