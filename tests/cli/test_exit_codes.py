"""One exit code per kind of failure: every class of the error tree falls in exactly one
kind, the README's table says which, and each kind exits with its code through the CLI."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

import frogml
import frogml.errors
from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from frogml import FrogMLStorage
from frogml.adapters.cli._errors import EXIT_KINDS, ExitKind, exit_code_for
from frogml.domain.errors import ConfigurationError, FrogMLError
from tests.cli.conftest import Invoke
from tests.integration._login_harness import closed_port_url

README = Path(__file__).resolve().parents[2] / "README.md"
FORMAT = ["--framework", "numpy", "--framework-version", "1.26", "--format", "json"]


def _every_error_class() -> list[type[FrogMLError]]:
    """FrogMLError's subclasses, recursively, once every frogml module is imported (so
    that the adapters' private errors are in the tree too)."""
    for module in pkgutil.walk_packages(frogml.__path__, "frogml."):
        if not module.name.endswith("__main__"):  # that one runs the CLI
            importlib.import_module(module.name)
    found: list[type[FrogMLError]] = []
    pending = list(FrogMLError.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls not in found:
            found.append(cls)
            pending += cls.__subclasses__()
    return found


def _kinds_of(cls: type[FrogMLError]) -> list[ExitKind]:
    return [kind for kind in EXIT_KINDS if issubclass(cls, kind.errors)]


def _readme_rows() -> dict[int, str]:
    """The exit-code table of the README: ``{code: row}``."""
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- exit-codes -->", 2)[1]
    rows = {}
    for line in table.splitlines():
        match = re.match(r"\|\s*(\d+)\s*\|", line)
        if match:
            rows[int(match.group(1))] = line
    return rows


def test_every_error_class_of_the_tree_falls_in_exactly_one_kind() -> None:
    classes = _every_error_class()
    assert len(classes) > 15  # the walk found the adapters' errors too
    misfits = {cls.__qualname__: [k.name for k in _kinds_of(cls)] for cls in classes}
    assert {name: kinds for name, kinds in misfits.items() if len(kinds) != 1} == {}


def test_every_kind_has_its_own_code() -> None:
    codes = [kind.code for kind in EXIT_KINDS]
    assert len(set(codes)) == len(codes)
    assert 0 not in codes


def test_the_readme_table_names_each_kind_with_its_code_and_every_public_error() -> None:
    rows = _readme_rows()
    assert set(rows) == {0} | {kind.code for kind in EXIT_KINDS}
    for kind in EXIT_KINDS:
        assert kind.name in rows[kind.code], rows[kind.code]
    for name in frogml.errors.__all__:
        cls = getattr(frogml.errors, name)
        if cls is FrogMLError:
            continue
        (kind,) = _kinds_of(cls)
        assert f"`{name}`" in rows[kind.code], f"{name} belongs in the row of {kind.code}"


def test_a_bare_frogml_error_of_someone_elses_adapter_is_a_failure() -> None:
    assert exit_code_for(FrogMLError("an adapter of a host service failed")) == 1


# -- each kind through the CLI --------------------------------------------------------


def _one_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("env", "args"),
    [
        ({"JFML_THREAD_COUNT": "abc"}, ["model", "ls", "ml-local"]),
        ({"JFML_TIMEOUT": "soon"}, ["model", "versions", "ml-local", "m"]),
        ({"JFML_INSECURE": "maybe"}, ["model", "ls", "ml-local"]),
        ({"JFML_DEBUG": "maybe"}, ["model", "ls", "ml-local"]),
        ({"JFML_LOG_FORMAT": "xml"}, ["model", "ls", "ml-local"]),
    ],
)
def test_a_bad_jfml_value_is_a_configuration_error_with_the_embedded_store_too(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], args: list[str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = invoke(*args)
    assert result.exit_code == 5, result.output
    (name,) = env
    assert name in _one_error(result.stderr)


def test_a_bad_option_stays_a_usage_error(invoke: Invoke) -> None:
    assert invoke("--threads", "0", "model", "ls", "ml-local").exit_code == 2


def test_the_library_refuses_a_bad_jfml_value_with_no_server_too(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "JFML_THREAD_COUNT": "abc"}
    with pytest.raises(ConfigurationError, match="JFML_THREAD_COUNT"):
        FrogMLStorage(env=env)
    FrogMLStorage(env={"HOME": str(tmp_path), "JFML_THREAD_COUNT": "4"}).close()


def test_each_kind_of_failure_exits_with_its_code(
    invoke: Invoke,
    model_dir: Path,
    tmp_path: Path,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    upload = ("model", "upload", "ml-local", "m", str(model_dir), *FORMAT, "-v", "1")
    assert invoke(*upload).exit_code == 0
    assert invoke(*upload).exit_code == 4  # conflict: published already
    assert invoke("model", "info", "ml-local", "m", "9").exit_code == 4  # not found
    assert invoke("model", "info", "ml-local", "m", "..").exit_code == 2  # usage
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FROGML_STORE_DIR", str(blocker / "store"))
    assert invoke(*upload).exit_code == 6  # local files: the store cannot be written
    monkeypatch.setenv("JF_URL", closed_port_url())
    monkeypatch.setenv("JF_ACCESS_TOKEN", EMULATOR_TOKEN)
    assert invoke("--timeout", "2", "model", "ls", "ml-local").exit_code == 1  # network
    monkeypatch.setenv("JF_URL", emulator.url)
    monkeypatch.setenv("JF_ACCESS_TOKEN", "wrong-token")
    assert invoke("model", "ls", "ml-local").exit_code == 3  # auth


def test_doctor_fails_its_configuration_check_on_a_bad_jfml_value_with_no_server(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JFML_TIMEOUT", "soon")
    result = invoke("doctor", "--json")
    assert result.exit_code == 1  # a doctor check failed
    (configuration,) = json.loads(result.stdout)["checks"]
    assert configuration["verdict"] == "fail"
    assert "JFML_TIMEOUT" in configuration["detail"]
