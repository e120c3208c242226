"""Bad input gives one clear stderr line and the documented exit code; summaries read
right. Found by using the CLI as a user does (each test failed before its fix)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke

FORMAT = ["--framework", "numpy", "--framework-version", "1.26", "--format", "json"]


def _one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()  # no log line, no store notice before a usage error
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: "), stderr
    assert "╭" not in stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["model", "ls"], ["Missing argument 'REPOSITORY'", "`frogml model ls --help`"]),
        (["model", "lss"], ["No such command 'lss'", "`frogml model --help`"]),
        (["--threads", "0", "model", "ls", "ml-local"], ["--threads", "`frogml --help`"]),
        (
            ["model", "upload", "ml-local", "m", ".", *FORMAT, "-p", "no-equals"],
            ["'no-equals' is not KEY=VALUE", "`frogml model upload --help`"],
        ),
        (["model", "upload", "ml-local", "m", ".", "--framework"], ["--framework"]),
    ],
)
def test_a_usage_error_is_one_line_that_says_where_the_help_is(
    invoke: Invoke, args: list[str], words: list[str]
) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    line = _one_error_line(result.stderr)
    for word in words:
        assert word in line


def test_a_download_target_that_is_a_file_is_one_line(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("keep me")
    result = invoke("model", "download", "ml-local", "iris", "1", str(target))
    assert result.exit_code == 2
    assert "is a file" in _one_error_line(result.stderr)
    assert target.read_text() == "keep me"


def test_an_invalid_boolean_in_the_environment_is_one_configuration_line(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JFML_DEBUG", "maybe")
    result = invoke("whoami")
    assert result.exit_code == 5  # configuration, as every bad JFML_* value
    line = _one_error_line(result.stderr)
    assert "JFML_DEBUG" in line
    assert "'maybe' is not a valid boolean" in line


@pytest.mark.parametrize("option", ["--framework", "--framework-version", "--format", "--runtime"])
def test_an_empty_model_format_option_names_the_option(
    invoke: Invoke, model_dir: Path, option: str
) -> None:
    args = [*FORMAT, "--runtime", "python"]
    args[args.index(option) + 1] = " "
    result = invoke("model", "upload", "ml-local", "m", str(model_dir), *args)
    assert result.exit_code == 2
    line = _one_error_line(result.stderr)
    assert f"'{option}': must not be empty" in line
    assert "model_type" not in line


def test_doctor_reports_a_malformed_server_url_as_a_failed_check(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JF_URL", "not-a-url")
    result = invoke("doctor", "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    [check] = document["checks"]
    assert check["name"] == "configuration"
    assert check["verdict"] == "fail"
    assert check["detail"].startswith("not-a-url from environment: ")
    human = invoke("doctor")
    assert "configuration  fail" in human.stdout
    assert "Some checks failed." in human.stdout


def test_doctor_reports_a_bad_setting_as_a_failed_configuration(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JF_URL", "http://127.0.0.1:9/artifactory")
    monkeypatch.setenv("JFML_TIMEOUT", "abc")
    document = json.loads(invoke("doctor", "--json").stdout)
    assert [(c["name"], c["verdict"]) for c in document["checks"]] == [("configuration", "fail")]
    assert "JFML_TIMEOUT" in document["checks"][0]["detail"]


def _upload_with_extras(invoke: Invoke, model_dir: Path, tmp_path: Path) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy==1.26\n")
    archive = tmp_path / "code.zip"
    archive.write_bytes(b"PK" + bytes(100))
    up = invoke(
        "model", "upload", "ml-local", "iris", str(model_dir), *FORMAT, "-v", "1",
        "-d", str(requirements), "--code-archive", str(archive), "-p", "stage=dev",
    )  # fmt: skip
    assert up.exit_code == 0, up.stderr


def test_info_counts_and_lists_every_file_where_a_download_puts_it(
    invoke: Invoke, model_dir: Path, tmp_path: Path
) -> None:
    _upload_with_extras(invoke, model_dir, tmp_path)
    lines = invoke("model", "info", "ml-local", "iris", "1").stdout.splitlines()
    total = (model_dir / "config.json").stat().st_size + 25600 + 12 + 102
    assert f"files:    4 ({total / 1024:.1f} KiB)" in lines
    listed = [line.split() for line in lines if line.startswith("  ")]
    assert [row[0] for row in listed] == [
        "config.json", "weights/model.bin", "dependencies/requirements.txt", "code/code.zip",
    ]  # fmt: skip
    assert all(row[-1].startswith("sha256:") for row in listed)
    columns = {line.index("sha256:") for line in lines if line.startswith("  ")}
    assert len(columns) == 1  # aligned
    assert "property: stage=dev" in lines


def test_the_download_summary_counts_files_then_bytes_moved_and_reused(
    invoke: Invoke, model_dir: Path, tmp_path: Path
) -> None:
    _upload_with_extras(invoke, model_dir, tmp_path)
    out = tmp_path / "out"
    extras = ("--with-dependencies", "--with-code")
    first = invoke("model", "download", "ml-local", "iris", "1", str(out), *extras)
    assert first.exit_code == 0, first.stderr
    total = (model_dir / "config.json").stat().st_size + 25600 + 12 + 102
    size = f"{total / 1024:.1f} KiB"
    assert f"4 file(s) fetched, 0 already present; {size} downloaded, 0 B reused" in first.stdout
    again = invoke("model", "download", "ml-local", "iris", "1", str(out), *extras)
    assert f"0 file(s) fetched, 4 already present; 0 B downloaded, {size} reused" in again.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["config"], ["config", "show"], ["whoami"], ["model"], ["dataset"],
        ["dataset", "download"], ["model", "download"],
    ],
)  # fmt: skip
def test_the_help_example_of_a_command_uses_that_command(
    invoke: Invoke, command: list[str]
) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert f"Example: frogml {' '.join(command)}" in text
    assert "Options:" not in result.stdout  # rich help like every other command
    if command == ["dataset", "download"]:
        assert ".onnx" not in text  # a model format, not a dataset's


def test_a_timeout_option_replaces_a_bad_environment_value_for_the_run(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The option reaches the adapters as a typed value: the broken variable is not read.
    monkeypatch.setenv("JF_URL", "http://127.0.0.1:9/artifactory")
    monkeypatch.setenv("JFML_TIMEOUT", "abc")
    document = json.loads(invoke("--timeout", "5", "doctor", "--json").stdout)
    assert document["checks"][0]["name"] == "configuration"
    assert document["checks"][0]["verdict"] == "ok"
