"""The public API and the CLI against Artifactory (the emulator, or a real server).

These are issue 3's "done when" checks: a model with a folder, dependency files, a
code archive and properties, and datasets (a folder and a single file) round-trip
through ``FrogMLStorage`` and through ``frogml``; the same content uploaded again
sends no file bytes; Basic credentials really authenticate.

This is the file JFrog's documentation runs, verbatim::

    python3 -m pytest tests/integrations/test_artifactory_integration.py \
        --rt_url "<artifactory_url>" --rt_access_token <token> --repo_name <repo> -s

(or with ``ARTIFACTORY_URL``, ``ARTIFACTORY_USERNAME`` and ``ARTIFACTORY_PASSWORD``);
with neither it runs against the emulator. Against a real server the tests that need
the emulator (counters, its users) are skipped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from frogml import AuthConfig, FrogMLStorage
from frogml.domain.errors import AuthenticationError
from frogml.root.cli import build
from tests.integration.helpers import MODEL_FORMAT, Target, files_under, unique, write_tree

# Every file is at least 10 KiB: smaller ones are always sent (no checksum deploy).
MODEL = {
    "weights/model.bin": os.urandom(300_000),
    "config.json": b'{"layers": 3}' * 1000,
    "tokenizer/vocab é.txt": "wörd\n".encode() * 3000,
}
DATA = {"part-0.csv": b"a,b\n1,2\n" * 2000, "nested/part-1.csv": b"a,b\n3,4\n" * 2000}


def _storage(target: Target) -> FrogMLStorage:
    credentials = target.settings.credentials
    if credentials.access_token is not None:
        auth = AuthConfig.by_access_token(credentials.url, credentials.access_token)
    else:
        assert credentials.user is not None
        assert credentials.password is not None
        auth = AuthConfig.by_basic_auth(credentials.url, credentials.user, credentials.password)
    return FrogMLStorage(auth)


def _extras(tmp_path: Path) -> tuple[Path, Path]:
    requirements = tmp_path / "requirements.txt"
    requirements.write_bytes(b"torch==2.5.1\n" * 1000)
    code = tmp_path / "code.zip"
    code.write_bytes(os.urandom(20_000))
    return requirements, code


def test_model_round_trip_with_dependencies_code_and_properties(
    artifactory_target: Target, tmp_path: Path
) -> None:
    storage, name = _storage(artifactory_target), unique("model")
    repository = artifactory_target.repository
    source = write_tree(tmp_path / "model", MODEL)
    requirements, code = _extras(tmp_path)

    uploaded = storage.upload_model_version(
        repository,
        name,
        str(source),
        MODEL_FORMAT,
        namespace="team",
        version="1.0.0",
        properties={"stage": "dev", "owner": "risk/fraud"},
        dependencies_files_paths=[str(requirements)],
        code_archive_file_path=str(code),
    )
    info = storage.get_model_info(repository, name, "1.0.0", namespace="team")
    result = storage.download_model_version(
        repository,
        name,
        "1.0.0",
        str(tmp_path / "out"),
        namespace="team",
        with_dependencies=True,
        with_code=True,
    )

    assert uploaded.version == "1.0.0"
    assert info.properties == {"stage": "dev", "owner": "risk/fraud"}
    assert info.manifest.model_format == MODEL_FORMAT
    expected = {
        **MODEL,
        "dependencies/requirements.txt": requirements.read_bytes(),
        "code/code.zip": code.read_bytes(),
    }
    assert files_under(tmp_path / "out") == expected
    assert result.files_downloaded == len(expected)


def test_dataset_round_trips_from_a_folder_and_from_a_single_file(
    artifactory_target: Target, tmp_path: Path
) -> None:
    storage, name = _storage(artifactory_target), unique("data")
    repository = artifactory_target.repository
    folder = write_tree(tmp_path / "data", DATA)
    single = tmp_path / "table.parquet"
    single.write_bytes(os.urandom(50_000))

    storage.upload_dataset_version(repository, name, str(folder), version="folder")
    storage.upload_dataset_version(repository, name, str(single), version="single")
    storage.download_dataset_version(repository, name, "folder", str(tmp_path / "a"))
    storage.download_dataset_version(repository, name, "single", str(tmp_path / "b"))

    assert files_under(tmp_path / "a") == DATA
    assert files_under(tmp_path / "b") == {"table.parquet": single.read_bytes()}
    versions = [v.version for v in storage.list_dataset_versions(repository, name)]
    assert sorted(versions) == ["folder", "single"]


def test_the_same_content_uploaded_again_sends_no_file_bytes(
    emulator_target: Target, tmp_path: Path
) -> None:
    storage, emu = _storage(emulator_target), emulator_target.emu
    source = write_tree(tmp_path / "model", MODEL)
    requirements, code = _extras(tmp_path)

    def upload(version: str) -> None:
        storage.upload_model_version(
            "ml-local",
            "dedup",
            str(source),
            MODEL_FORMAT,
            version=version,
            dependencies_files_paths=[str(requirements)],
            code_archive_file_path=str(code),
        )

    upload("1")
    emu.counters.reset()
    upload("2")

    counts = emu.counters.snapshot()
    assert counts.bytes_received == 0
    assert counts.count("deploy") == 0
    assert counts.count("checksum_deploy", 201) == len(MODEL) + 2
    assert counts.count("commit", 201) == 1


def test_basic_auth_really_authenticates(emulator_target: Target, tmp_path: Path) -> None:
    url = emulator_target.emu.url
    source = write_tree(tmp_path / "d", DATA)
    good = FrogMLStorage(AuthConfig.by_basic_auth(url, "alice", "alice-pw"))
    good.upload_dataset_version("ml-local", "basic", str(source), version="1")
    assert [v.version for v in good.list_dataset_versions("ml-local", "basic")] == ["1"]

    bad = FrogMLStorage(AuthConfig.by_basic_auth(url, "alice", "wrong"))
    with pytest.raises(AuthenticationError, match="frogml login"):
        bad.upload_dataset_version("ml-local", "basic", str(source), version="2")
    assert [v.version for v in good.list_dataset_versions("ml-local", "basic")] == ["1"]


def test_the_cli_round_trips_a_model_through_artifactory(
    emulator_target: Target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JF_URL", emulator_target.emu.base_url)
    monkeypatch.setenv("JF_ACCESS_TOKEN", "test-token")
    source = write_tree(tmp_path / "model", MODEL)
    requirements, code = _extras(tmp_path)
    runner, cli = CliRunner(), build()
    uploaded = runner.invoke(
        cli,
        [
            "model",
            "upload",
            "ml-local",
            "cli-model",
            str(source),
            "--framework",
            "pytorch",
            "--framework-version",
            "2.5.1",
            "--format",
            "pt",
            "-v",
            "7",
            "-p",
            "stage=prod",
            "-d",
            str(requirements),
            "--code-archive",
            str(code),
            "--json",
        ],
    )
    assert uploaded.exit_code == 0, uploaded.stderr
    assert json.loads(uploaded.stdout)["properties"] == {"stage": "prod"}

    info = runner.invoke(cli, ["model", "info", "ml-local", "cli-model", "7", "--json"])
    downloaded = runner.invoke(
        cli, ["model", "download", "ml-local", "cli-model", "7", str(tmp_path / "out")]
    )

    assert info.exit_code == 0, info.stderr
    assert json.loads(info.stdout)["manifest"]["code_artifacts"]["artifact_path"] == "code.zip"
    assert downloaded.exit_code == 0, downloaded.stderr
    assert files_under(tmp_path / "out")["weights/model.bin"] == MODEL["weights/model.bin"]


def test_the_cli_dataset_commands_against_artifactory(
    emulator_target: Target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JF_URL", emulator_target.emu.url)
    monkeypatch.setenv("JF_ACCESS_TOKEN", "test-token")
    single = tmp_path / "rows.csv"
    single.write_bytes(DATA["part-0.csv"])
    runner, cli = CliRunner(), build()

    up = runner.invoke(cli, ["dataset", "upload", "ml-local", "rows", str(single), "-v", "1"])
    versions = runner.invoke(cli, ["dataset", "versions", "ml-local", "rows", "--json"])
    missing = runner.invoke(cli, ["dataset", "info", "ml-local", "rows", "2"])
    denied = runner.invoke(
        cli, ["dataset", "versions", "ml-local", "rows"], env={"JF_ACCESS_TOKEN": "wrong"}
    )

    assert up.exit_code == 0, up.stderr
    assert [v["version"] for v in json.loads(versions.stdout)] == ["1"]
    assert missing.exit_code == 4
    assert denied.exit_code == 3
    assert "wrong" not in denied.stderr
