"""Issue 13 through the CLI, on both stores (the embedded store and the emulator): the
user's disk is never overwritten unasked, links and special files follow one policy,
the CLI says once when it uses the local store, and a dry run checks what the real run
checks, failing with the same exit code."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from tests.cli.conftest import Invoke

FORMAT = ["--framework", "numpy", "--framework-version", "1.26", "--format", "json"]
NOTICE = "No server configured: using the local store at "


@pytest.fixture
def server(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    monkeypatch.setenv("JF_URL", emulator.url)
    monkeypatch.setenv("JF_ACCESS_TOKEN", EMULATOR_TOKEN)
    return emulator


@pytest.fixture(params=["embedded", "emulator"])
def where(request: pytest.FixtureRequest) -> str:
    """Which store the CLI uses: the embedded one (nothing configured) or the emulator."""
    if request.param == "emulator":
        request.getfixturevalue("server")
    return str(request.param)


def _publish(invoke: Invoke, tmp_path: Path) -> Path:
    """Model iris 1.0.0 (model.json, README.md) published; returns its source folder."""
    source = tmp_path / "iris"
    source.mkdir()
    (source / "model.json").write_text('{"weights": [1, 2, 3]}')
    (source / "README.md").write_text("# iris\n")
    up = invoke("model", "upload", "ml-local", "iris", str(source), *FORMAT, "-v", "1.0.0")
    assert up.exit_code == 0, up.stderr
    return source


@pytest.fixture
def published(invoke: Invoke, where: str, tmp_path: Path) -> Path:
    return _publish(invoke, tmp_path)


def _download(invoke: Invoke, target: Path, *options: str) -> tuple[int, str, str]:
    result = invoke("model", "download", "ml-local", "iris", "1.0.0", str(target), *options)
    return result.exit_code, result.stdout, result.stderr


# -- 1. downloads never overwrite a different file unasked ---------------------------


def test_a_download_refuses_to_replace_a_different_file_and_writes_nothing(
    invoke: Invoke, published: Path, tmp_path: Path
) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "model.json").write_text("my own settings")
    code, _, stderr = _download(invoke, conf)
    assert code == 4  # the conflict exit code
    assert "model.json (differs)" in stderr
    assert "--force" in stderr
    assert [p.name for p in conf.iterdir()] == ["model.json"]  # no README.md, no partial
    assert (conf / "model.json").read_text() == "my own settings"


def test_a_download_dry_run_shows_keep_download_and_replace_and_fails_as_the_real_run(
    invoke: Invoke, published: Path, tmp_path: Path
) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "model.json").write_text("my own settings")
    (conf / "README.md").write_text("# iris\n")
    code, stdout, stderr = _download(invoke, conf, "--dry-run")
    actions = {line.split()[0]: " ".join(line.split()[3:]) for line in stdout.splitlines()[1:3]}
    assert actions == {"README.md": "keep", "model.json": "replace (differs)"}
    assert code == _download(invoke, conf)[0] == 4
    assert "model.json (differs)" in stderr
    code, stdout, _ = _download(invoke, conf, "--dry-run", "--force", "--json")
    assert code == 0
    plan = json.loads(stdout)
    assert [(f["path"], f["conflict"]) for f in plan["transfer"]] == [("model.json", "differs")]
    assert (conf / "model.json").read_text() == "my own settings"


def test_force_replaces_differing_files_and_a_file_in_the_way(
    invoke: Invoke, published: Path, tmp_path: Path
) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "model.json").write_text("my own settings")
    (conf / "README.md").mkdir()  # an empty folder where a file goes
    code, _, stderr = _download(invoke, conf, "--force")
    assert code == 0, stderr
    assert (conf / "model.json").read_bytes() == (published / "model.json").read_bytes()
    assert (conf / "README.md").read_text() == "# iris\n"


def test_a_folder_holding_files_is_never_replaced_even_with_force(
    invoke: Invoke, published: Path, tmp_path: Path
) -> None:
    conf = tmp_path / "conf"
    (conf / "README.md").mkdir(parents=True)
    (conf / "README.md" / "notes.txt").write_text("mine")
    code, _, stderr = _download(invoke, conf, "--force")
    assert code == 4
    assert "README.md (a folder is in the way)" in stderr
    assert not (conf / "model.json").exists()


# -- 2. links and special files -----------------------------------------------------


def test_a_dry_run_marks_a_linked_file_with_its_target_and_verbose_too(
    invoke: Invoke, where: str, tmp_path: Path
) -> None:
    secret = tmp_path / "home" / ".aws" / "credentials"
    secret.parent.mkdir(parents=True)
    secret.write_text("[default]\n")
    source = tmp_path / "model"
    source.mkdir()
    (source / "model.json").write_text("{}")
    (source / "credentials").symlink_to(secret)
    args = ("model", "upload", "ml-local", "m", str(source), *FORMAT, "-v", "1")
    dry = invoke(*args, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert f"credentials -> {secret.resolve()}" in dry.stdout
    real = invoke("--verbose", *args)
    assert real.exit_code == 0, real.stderr
    assert "symlink_followed" in real.stderr
    assert str(secret.resolve()) in real.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX files")
def test_a_fifo_stops_the_upload_and_its_dry_run_naming_it_and_its_exclude(
    invoke: Invoke, where: str, tmp_path: Path
) -> None:
    source = tmp_path / "model"
    (source / "sub").mkdir(parents=True)
    (source / "model.json").write_text("{}")
    os.mkfifo(source / "sub" / "queue")
    args = ("model", "upload", "ml-local", "m", str(source), *FORMAT, "-v", "1")
    dry, real = invoke(*args, "--dry-run"), invoke(*args)
    assert dry.exit_code == real.exit_code != 0
    for result in (dry, real):
        assert "sub/queue (a FIFO)" in result.stderr
        assert "--exclude /sub/queue" in result.stderr
    assert invoke("model", "versions", "ml-local", "m").exit_code == 4  # nothing published
    assert invoke(*args, "--exclude", "/sub/queue").exit_code == 0


def test_a_nested_ignore_file_is_honoured_and_not_uploaded(
    invoke: Invoke, where: str, tmp_path: Path
) -> None:
    source = tmp_path / "model"
    (source / "run").mkdir(parents=True)
    (source / "model.json").write_text("{}")
    (source / "run" / ".frogmlignore").write_text("*.log\n")
    (source / "run" / "train.log").write_text("epoch 1")
    (source / "run" / "metrics.json").write_text("{}")
    result = invoke("model", "upload", "ml-local", "m", str(source), *FORMAT, "-v", "1", "--json")
    assert result.exit_code == 0, result.stderr
    uploaded = [
        a["artifact_path"] for a in json.loads(result.stdout)["manifest"]["model_artifacts"]
    ]
    assert uploaded == ["model.json", "run/metrics.json"]


# -- 3. and 4. the local store notice, --require-server, CI ---------------------------


def test_the_local_store_is_told_once_in_plain_words_and_never_to_a_server(
    invoke: Invoke, where: str, published: Path, store_dir: Path
) -> None:
    result = invoke("model", "ls", "ml-local")
    if where == "emulator":
        assert NOTICE not in result.stderr
        return
    assert result.stderr.splitlines() == [
        f"{NOTICE}{store_dir}; run `frogml login` to use Artifactory"
    ]
    assert "embedded_store_used" not in result.stderr


def test_quiet_and_json_silence_the_notice_and_json_carries_a_field(
    invoke: Invoke, where: str, published: Path, store_dir: Path
) -> None:
    assert invoke("-q", "model", "ls", "ml-local").stderr == ""
    info = invoke("model", "info", "ml-local", "iris", "1.0.0", "--json")
    assert info.stderr == ""
    expected = str(store_dir) if where == "embedded" else None
    assert json.loads(info.stdout)["fallback_store"] == expected


def test_in_ci_the_notice_shows_even_when_quiet_and_names_the_variable(
    invoke: Invoke, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    for args in (["-q", "model", "ls", "ml-local"], ["model", "ls", "ml-local", "--json"]):
        result = invoke(*args)
        [line] = [line for line in result.stderr.splitlines() if line.startswith(NOTICE)]
        assert "FROGML_REQUIRE_SERVER=1" in line


@pytest.mark.parametrize("how", ["option", "variable"])
def test_requiring_a_server_makes_no_server_a_configuration_error(
    invoke: Invoke, store_dir: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "variable":
        monkeypatch.setenv("FROGML_REQUIRE_SERVER", "1")
    args = ["--require-server"] if how == "option" else []
    result = invoke(*args, "model", "ls", "ml-local")
    assert result.exit_code == 5  # configuration
    assert result.stderr.startswith("Error: no server configured")
    assert "frogml login" in result.stderr
    assert not store_dir.exists()


def test_requiring_a_server_is_satisfied_by_one(invoke: Invoke, server: Emulator) -> None:
    assert invoke("--require-server", "model", "ls", "ml-local").exit_code == 0


def test_cache_housekeeping_is_silent_unless_verbose(
    invoke: Invoke, server: Emulator, tmp_path: Path, isolated_home: Path
) -> None:
    published = _publish(invoke, tmp_path)  # the download cache serves Artifactory downloads

    def spoil_the_cache() -> None:
        blobs = [p for p in (isolated_home / ".cache/frogml/blobs").rglob("*") if p.is_file()]
        assert blobs
        for blob in blobs:  # same size, other bytes: each cached copy proves wrong
            data = blob.read_bytes()
            blob.unlink()  # a hard link may share it with a downloaded file
            blob.write_bytes(bytes(b ^ 0xFF for b in data))

    assert _download(invoke, tmp_path / "one")[0] == 0
    spoil_the_cache()
    code, _, stderr = _download(invoke, tmp_path / "two")
    assert (code, stderr) == (0, "")  # the spoiled copies were dropped without a word
    assert (tmp_path / "two/model.json").read_bytes() == (published / "model.json").read_bytes()
    spoil_the_cache()
    verbose = invoke(
        "--verbose", "model", "download", "ml-local", "iris", "1.0.0", str(tmp_path / "three")
    )
    assert verbose.exit_code == 0
    assert "download_cache_entry_dropped" in verbose.stderr


# -- 5. dry runs are preflights -----------------------------------------------------


def _upload(invoke: Invoke, source: Path, repository: str, *extra: str) -> tuple[int, str]:
    args = ("model", "upload", repository, "iris", str(source), *FORMAT, "-v", "1.0.0", *extra)
    result = invoke(*args)
    return result.exit_code, result.stderr


def test_a_dry_run_refuses_an_already_published_version_as_the_upload_does(
    invoke: Invoke, published: Path
) -> None:
    dry, real = (
        _upload(invoke, published, "ml-local", "--dry-run"),
        _upload(invoke, published, "ml-local"),
    )
    assert dry[0] == real[0] == 4
    assert "already" in dry[1]


def test_a_dry_run_refuses_a_missing_repository_and_a_wrong_token_as_the_upload_does(
    invoke: Invoke, server: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (the embedded store has no credentials, and creates a repository with its first version)
    published = _publish(invoke, tmp_path)
    assert _upload(invoke, published, "no-such-repo", "--dry-run")[0] == 4
    assert _upload(invoke, published, "no-such-repo")[0] == 4
    monkeypatch.setenv("JF_ACCESS_TOKEN", "wrong-token")
    dry, real = (
        _upload(invoke, published, "ml-local", "--dry-run"),
        _upload(invoke, published, "ml-local"),
    )
    assert dry[0] == real[0] == 3
    assert "wrong-token" not in dry[1]


def test_a_dry_run_refuses_an_unusable_local_store_as_the_upload_does(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    published = _publish(invoke, tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FROGML_STORE_DIR", str(blocker / "store"))
    dry, real = (
        _upload(invoke, published, "ml-local", "--dry-run"),
        _upload(invoke, published, "ml-local"),
    )
    assert dry[0] == real[0] != 0
    assert "local store" in dry[1]


def test_a_download_dry_run_checks_the_version_and_the_target_as_the_real_run(
    invoke: Invoke, published: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("keep me")
    below = blocker / "out"
    assert _download(invoke, below, "--dry-run")[0] == _download(invoke, below)[0] == 2
    missing = invoke(
        "model", "download", "ml-local", "iris", "9.9", str(tmp_path / "o"), "--dry-run"
    )
    assert missing.exit_code == 4
    assert blocker.read_text() == "keep me"
