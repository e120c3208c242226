"""`frogml model ...` and `frogml dataset ...` on the embedded store."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Invoke

FORMAT = ["--framework", "pytorch", "--framework-version", "2.5.1", "--format", "pt"]


def test_model_upload_prints_a_json_document_describing_the_version(
    invoke: Invoke, model_dir: Path
) -> None:
    result = invoke(
        "model",
        "upload",
        "ml-local",
        "fraud",
        str(model_dir),
        *FORMAT,
        "-v",
        "1.0.0",
        "-n",
        "risk",
        "-p",
        "stage=dev",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["version"] == "1.0.0"
    assert document["namespace"] == "risk"
    assert document["properties"] == {"stage": "dev"}
    paths = [a["artifact_path"] for a in document["manifest"]["model_artifacts"]]
    assert paths == ["config.json", "weights/model.bin"]
    assert document["manifest"]["model_format"]["framework"] == "pytorch"
    assert document["upload"]["files_sent"] == 2


def test_model_round_trip_through_the_cli_is_byte_identical(
    invoke: Invoke, model_dir: Path, tmp_path: Path
) -> None:
    deps = tmp_path / "requirements.txt"
    deps.write_text("torch==2.5.1\n")
    code = tmp_path / "code.zip"
    code.write_bytes(b"PK\x05\x06" + bytes(18))
    uploaded = invoke(
        "model",
        "upload",
        "ml-local",
        "fraud",
        str(model_dir),
        *FORMAT,
        "-v",
        "1",
        "-d",
        str(deps),
        "--code-archive",
        str(code),
    )
    assert uploaded.exit_code == 0, uploaded.stderr
    assert "Uploaded model fraud version 1" in uploaded.stdout
    out = tmp_path / "out"
    plain = invoke("model", "download", "ml-local", "fraud", "1", str(tmp_path / "plain"))
    assert plain.exit_code == 0, plain.stderr
    assert "2 left out" in plain.stdout  # JFrog's default: the model's own files only
    assert not (tmp_path / "plain" / "dependencies").exists()
    assert not (tmp_path / "plain" / "code").exists()
    downloaded = invoke(
        "model",
        "download",
        "ml-local",
        "fraud",
        "1",
        str(out),
        "--with-dependencies",
        "--with-code",
    )
    assert downloaded.exit_code == 0, downloaded.stderr
    assert (out / "weights" / "model.bin").read_bytes() == (
        model_dir / "weights" / "model.bin"
    ).read_bytes()
    assert (out / "dependencies" / "requirements.txt").read_text() == "torch==2.5.1\n"
    assert (out / "code" / "code.zip").read_bytes() == code.read_bytes()
    assert not (out / ".git").exists()


def test_info_and_versions_report_what_was_published(invoke: Invoke, model_dir: Path) -> None:
    for version in ("1.0", "2.0"):
        assert (
            invoke(
                "model", "upload", "ml-local", "m", str(model_dir), *FORMAT, "-v", version
            ).exit_code
            == 0
        )
    info = invoke("model", "info", "ml-local", "m", "2.0", "--json")
    assert json.loads(info.stdout)["manifest"]["model_artifacts"][1]["size"] == 25600
    human = invoke("model", "info", "ml-local", "m", "2.0")
    assert "weights/model.bin" in human.stdout
    versions = invoke("model", "versions", "ml-local", "m", "--json")
    listed = [v["version"] for v in json.loads(versions.stdout)]
    assert sorted(listed) == ["1.0", "2.0"]


def test_dataset_round_trip_of_a_single_file(invoke: Invoke, tmp_path: Path) -> None:
    data = tmp_path / "rows.csv"
    data.write_text("a,b\n1,2\n")
    assert invoke("dataset", "upload", "ml-local", "rows", str(data), "-v", "v1").exit_code == 0
    out = tmp_path / "out"
    result = invoke("dataset", "download", "ml-local", "rows", "v1", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["files"] == ["rows.csv"]
    assert (out / "rows.csv").read_text() == "a,b\n1,2\n"


def test_a_missing_source_is_a_usage_error_with_one_line_and_no_traceback(
    invoke: Invoke, tmp_path: Path
) -> None:
    result = invoke("dataset", "upload", "ml-local", "d", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert "nope" in error


def test_an_unknown_version_exits_with_code_4(invoke: Invoke, model_dir: Path) -> None:
    assert (
        invoke("model", "upload", "ml-local", "m", str(model_dir), *FORMAT, "-v", "1").exit_code
        == 0
    )
    result = invoke("model", "info", "ml-local", "m", "9.9")
    assert result.exit_code == 4
    assert "9.9" in result.stderr


def test_republishing_a_version_is_refused(invoke: Invoke, model_dir: Path) -> None:
    args = ("model", "upload", "ml-local", "m", str(model_dir), *FORMAT, "-v", "1")
    assert invoke(*args).exit_code == 0
    again = invoke(*args)
    assert again.exit_code == 4  # a conflict with what exists
    assert "already" in again.stderr


def test_invalid_names_and_properties_are_usage_errors(invoke: Invoke, model_dir: Path) -> None:
    bad_name = invoke("model", "upload", "ml-local", "bad name", str(model_dir), *FORMAT)
    assert bad_name.exit_code == 2
    assert "invalid model name" in bad_name.stderr
    bad_property = invoke(
        "model", "upload", "ml-local", "m", str(model_dir), *FORMAT, "-p", "novalue"
    )
    assert bad_property.exit_code == 2
    assert "KEY=VALUE" in bad_property.stderr


def test_a_folder_given_as_dependency_is_refused_before_anything_is_published(
    invoke: Invoke, model_dir: Path, tmp_path: Path
) -> None:
    result = invoke(
        "model", "upload", "ml-local", "m", str(model_dir), *FORMAT, "-v", "1", "-d", str(tmp_path)
    )
    assert result.exit_code == 2
    assert invoke("model", "versions", "ml-local", "m").exit_code == 4


def test_version_flag_prints_the_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert "0.1.0" in result.stdout


def test_a_property_splits_on_the_first_equals_and_takes_any_text(
    invoke: Invoke, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("1\n")
    uploaded = invoke(
        "dataset",
        "upload",
        "ml-local",
        "rows",
        str(data),
        "-v",
        "1",
        "-p",
        "query=https://example.com/x?a=1&b=2",
        "-p",
        "note=two words, one = sign",
        "-p",
        "empty=",
    )
    assert uploaded.exit_code == 0, uploaded.stderr
    info = json.loads(invoke("dataset", "info", "ml-local", "rows", "1", "--json").stdout)
    assert info["properties"] == {
        "query": "https://example.com/x?a=1&b=2",
        "note": "two words, one = sign",
        "empty": "",
    }
