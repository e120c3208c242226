"""``delete``, ``latest``, ``repos`` and ``--server`` through the CLI, on both stores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from frogml import FrogMLStorage
from frogml.adapters.credentials import FrogMLConfigFile
from frogml.domain.errors import ConfigurationError
from frogml.domain.ports.credentials import Credentials
from tests.cli.conftest import Invoke

FORMAT = ["--framework", "numpy", "--framework-version", "1.26", "--format", "json"]


@pytest.fixture(params=["embedded", "artifactory"])
def store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test runs on the embedded store and against the emulator."""
    if request.param == "embedded":
        yield "embedded"
        return
    with Emulator(tokens={EMULATOR_TOKEN}, repos=("ml-local",), anonymous="off") as emu:
        monkeypatch.setenv("JF_URL", emu.url)
        monkeypatch.setenv("JF_ACCESS_TOKEN", EMULATOR_TOKEN)
        yield "artifactory"


def _upload(invoke: Invoke, source: Path, version: str, *extra: str) -> None:
    result = invoke(
        "model", "upload", "ml-local", "iris", str(source), *FORMAT, "-v", version, *extra
    )
    assert result.exit_code == 0, result.output


def test_delete_removes_a_version_and_its_name_may_be_published_again(
    invoke: Invoke, store: str, model_dir: Path
) -> None:
    _upload(invoke, model_dir, "1.0", "-n", "team")
    _upload(invoke, model_dir, "2.0", "-n", "team")

    deleted = invoke("model", "delete", "ml-local", "iris", "1.0", "-n", "team", "--yes")

    assert deleted.exit_code == 0, deleted.output
    assert deleted.stdout.startswith(
        "Deleted model team/iris 1.0 from repository ml-local (2 file(s),"
    )
    listed = json.loads(
        invoke("model", "versions", "ml-local", "iris", "-n", "team", "--json").stdout
    )
    assert [v["version"] for v in listed] == ["2.0"]
    assert invoke("model", "info", "ml-local", "iris", "1.0", "-n", "team").exit_code == 4
    _upload(invoke, model_dir, "1.0", "-n", "team")


def test_delete_json_dry_run_and_errors(invoke: Invoke, store: str, model_dir: Path) -> None:
    _upload(invoke, model_dir, "1.0")
    dry = invoke("model", "delete", "ml-local", "iris", "1.0", "--dry-run")
    assert dry.stdout.startswith("Dry run: would delete model iris 1.0")
    assert invoke("model", "info", "ml-local", "iris", "1.0").exit_code == 0

    asked = invoke("model", "delete", "ml-local", "iris", "1.0")  # stdin is no terminal
    assert asked.exit_code == 2
    assert "--yes" in asked.stderr
    assert invoke("model", "delete", "ml-local", "iris", "latest", "--yes").exit_code == 2
    assert invoke("model", "delete", "ml-local", "iris", "9.9", "--yes").exit_code == 4

    document = json.loads(
        invoke("model", "delete", "ml-local", "iris", "1.0", "-y", "--json").stdout
    )
    assert document["deleted"] is True
    assert (document["name"], document["version"], document["files"]) == ("iris", "1.0", 2)


def test_latest_names_the_newest_version_in_info_and_download(
    invoke: Invoke, store: str, model_dir: Path, tmp_path: Path
) -> None:
    _upload(invoke, model_dir, "1.0")
    (model_dir / "config.json").write_text('{"layers": 4}')
    _upload(invoke, model_dir, "2.0")

    info = json.loads(invoke("model", "info", "ml-local", "iris", "latest", "--json").stdout)
    down = invoke(
        "model", "download", "ml-local", "iris", "latest", str(tmp_path / "out"), "--json"
    )

    assert info["version"] == "2.0"
    assert json.loads(down.stdout)["version"] == "2.0"
    assert (tmp_path / "out" / "config.json").read_text() == '{"layers": 4}'
    refused = invoke("model", "upload", "ml-local", "iris", str(model_dir), *FORMAT, "-v", "latest")
    assert refused.exit_code == 2
    assert "latest" in refused.stderr


def test_repos_lists_the_machine_learning_repositories(
    invoke: Invoke, store: str, model_dir: Path
) -> None:
    _upload(invoke, model_dir, "1.0")

    table = invoke("repos")
    document = json.loads(invoke("repos", "--json").stdout)

    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[0].split() == ["REPOSITORY", "TYPE", "DESCRIPTION"]
    assert [r["key"] for r in document] == ["ml-local"]
    assert document[0]["package_type"] == "machinelearning"
    assert document[0]["type"] == "local"


def test_the_api_deletes_lists_repositories_and_resolves_latest(
    store: str, model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FROGML_STORE_DIR", str(tmp_path / "api-store"))
    with FrogMLStorage() as storage:
        for version in ("1.0", "2.0"):
            storage.upload_model_version(
                "ml-local", "iris", model_dir, FORMAT_DICT, version=version
            )
        assert storage.get_model_info("ml-local", "iris", "latest").version == "2.0"
        assert [r.key for r in storage.list_repositories()] == ["ml-local"]
        gone = storage.delete_model_version("ml-local", "iris", "2.0")
        assert gone.ref.version == "2.0"
        assert (
            storage.download_model_version("ml-local", "iris", "latest", tmp_path / "o").ref.version
            == "1.0"
        )


FORMAT_DICT = {
    "framework": "numpy",
    "framework_version": "1.26",
    "serialization_format": "json",
    "runtime": "python",
    "runtime_version": "3.11",
}


# -- --server ------------------------------------------------------------------------


def test_server_picks_a_saved_login_per_command(
    invoke: Invoke, isolated_home: Path, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        Emulator(tokens={"token-a"}, repos=("ml-local",), anonymous="off") as a,
        Emulator(tokens={"token-b"}, repos=("ml-local", "other"), anonymous="off") as b,
    ):
        config = FrogMLConfigFile(isolated_home / ".frogml" / "config.json")
        config.save("b", Credentials(url=b.url, access_token="token-b"))
        config.save("a", Credentials(url=a.url, access_token="token-a"))  # the default
        _upload(invoke, model_dir, "1.0")  # to a, the default
        on_b = invoke("--server", "b", "repos", "--json")
        assert [r["key"] for r in json.loads(on_b.stdout)] == ["ml-local", "other"]
        assert invoke("model", "ls", "ml-local", "--server", "b", "--json").stdout.strip() == "[]"
        assert json.loads(invoke("model", "ls", "ml-local", "--json").stdout)[0]["name"] == "iris"
        monkeypatch.setenv("JF_URL", a.url)  # --server wins over the environment too
        monkeypatch.setenv("JF_ACCESS_TOKEN", "token-a")
        whoami = json.loads(invoke("whoami", "--server", "b", "--json").stdout)
        assert whoami["url"] == b.url
        assert "server 'b'" in whoami["source"]
        with FrogMLStorage(server_id="b") as storage:
            assert [r.key for r in storage.list_repositories()] == ["ml-local", "other"]


def test_an_unknown_server_id_is_a_configuration_error(invoke: Invoke, isolated_home: Path) -> None:
    FrogMLConfigFile(isolated_home / ".frogml" / "config.json").save(
        "acme", Credentials(url="https://acme.jfrog.io", access_token="t" * 20)
    )
    result = invoke("model", "ls", "ml-local", "--server", "nope")
    assert result.exit_code == 5
    assert "'nope'" in result.stderr
    assert "'acme'" in result.stderr
    with pytest.raises(ConfigurationError, match="nope"):
        FrogMLStorage(server_id="nope")


def test_a_dataset_version_is_deleted_as_a_model_version_is(
    invoke: Invoke, store: str, model_dir: Path
) -> None:
    upload = ("dataset", "upload", "ml-local", "d", str(model_dir), "-v", "1")
    assert invoke(*upload).exit_code == 0
    deleted = invoke("dataset", "delete", "ml-local", "d", "1", "--yes")
    assert deleted.stdout.startswith("Deleted dataset d 1 from repository ml-local")
    assert invoke("dataset", "info", "ml-local", "d", "latest").exit_code == 4
    assert invoke(*upload).exit_code == 0
