"""CLI tests run the real command tree on an embedded store in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import rich_click as click
from click.testing import CliRunner, Result

from frogml.root.cli import build

Invoke = Callable[..., Result]


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "store"
    monkeypatch.setenv("FROGML_STORE_DIR", str(folder))
    return folder


@pytest.fixture
def cli() -> click.Group:
    return build()


@pytest.fixture
def invoke(cli: click.Group, store_dir: Path) -> Invoke:
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    (folder / "weights").mkdir(parents=True)
    (folder / "weights" / "model.bin").write_bytes(bytes(range(256)) * 100)
    (folder / "config.json").write_text('{"layers": 3}')
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: main")
    return folder
