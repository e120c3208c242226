"""``frogml model delete`` asks on a terminal, and deletes only on yes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from frogml import FrogMLStorage
from tests.e2e.test_installed_cli import _frogml
from tests.e2e.test_terminal import Terminal, _env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

FORMAT = {
    "framework": "numpy",
    "framework_version": "1.26",
    "serialization_format": "json",
    "runtime": "python",
    "runtime_version": "3.11",
}


def _publish(home: Path, tmp_path: Path) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "weights.bin").write_bytes(b"weights" * 100)
    with FrogMLStorage(env={"HOME": str(home)}) as storage:
        storage.upload_model_version("ml-local", "iris", tmp_path / "model", FORMAT, version="1")


def _versions(home: Path) -> list[str]:
    with FrogMLStorage(env={"HOME": str(home)}) as storage:
        return [v.version for v in storage.list_model_versions("ml-local", "iris")]


@pytest.mark.parametrize(("answer", "code", "left"), [("n", 1, ["2", "1"]), ("y", 0, ["2"])])
def test_delete_asks_on_a_terminal_and_deletes_only_on_yes(
    isolated_home: Path, tmp_path: Path, answer: str, code: int, left: list[str]
) -> None:
    _publish(isolated_home, tmp_path)
    with FrogMLStorage(env={"HOME": str(isolated_home)}) as storage:
        storage.upload_model_version("ml-local", "iris", tmp_path / "model", FORMAT, version="2")
    terminal = Terminal(
        [_frogml(), "model", "delete", "ml-local", "iris", "1"], _env(isolated_home)
    )
    terminal.expect("Delete model iris 1 from repository ml-local (1 file(s), 700 B)?")
    terminal.send(answer)
    assert terminal.finish() == code, terminal.output
    assert _versions(isolated_home) == left
    said = b"Deleted model iris 1" if answer == "y" else b"Nothing was deleted."
    assert said in terminal.output
