"""Option families on the embedded store: ls, patterns, dry runs, JSON schemas, logging."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke

FORMAT = ["--framework", "pytorch", "--framework-version", "2.5.1", "--format", "pt"]


def _upload(invoke: Invoke, source: Path, *extra: str, name: str = "fraud") -> dict[str, object]:
    result = invoke("model", "upload", "ml-local", name, str(source), *FORMAT, *extra, "--json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def _paths(document: dict[str, object]) -> list[str]:
    manifest = document["manifest"]
    assert isinstance(manifest, dict)
    return [a["artifact_path"] for a in manifest["model_artifacts"]]


def test_ls_lists_entities_with_their_namespace(invoke: Invoke, model_dir: Path) -> None:
    _upload(invoke, model_dir, "-v", "1")
    _upload(invoke, model_dir, "-v", "1", "-n", "risk", name="scorer")
    listed = invoke("model", "ls", "ml-local", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert json.loads(listed.stdout) == [
        {"name": "fraud", "namespace": None, "path": "fraud"},
        {"name": "scorer", "namespace": "risk", "path": "risk/scorer"},
    ]
    human = invoke("model", "ls", "ml-local").stdout.splitlines()
    assert human[0].split() == ["MODEL", "NAMESPACE"]
    assert human[2].split() == ["scorer", "risk"]
    assert json.loads(invoke("dataset", "ls", "ml-local", "--json").stdout) == []


def test_ls_of_a_missing_repository_exits_4(invoke: Invoke) -> None:
    assert invoke("dataset", "ls", "nowhere").exit_code == 4


def test_include_exclude_and_frogmlignore_choose_the_uploaded_files(
    invoke: Invoke, model_dir: Path
) -> None:
    (model_dir / "logs").mkdir()
    (model_dir / "logs" / "train.log").write_text("epoch 1")
    (model_dir / "notes.tmp").write_text("scratch")
    (model_dir / ".frogmlignore").write_text("logs/\n*.tmp\n")
    assert _paths(_upload(invoke, model_dir, "-v", "1")) == ["config.json", "weights/model.bin"]
    only = _upload(invoke, model_dir, "-v", "2", "--include", "weights/")
    assert _paths(only) == ["weights/model.bin"]
    not_config = _upload(invoke, model_dir, "-v", "3", "--exclude", "config.json")
    assert _paths(not_config) == ["weights/model.bin"]


def test_upload_dry_run_prints_the_plan_and_publishes_nothing(
    invoke: Invoke, model_dir: Path, store_dir: Path
) -> None:
    _upload(invoke, model_dir, "-v", "1")
    (model_dir / "extra.bin").write_bytes(b"new bytes")
    result = invoke(
        "model", "upload", "ml-local", "fraud", str(model_dir), *FORMAT, "--dry-run", "--json"
    )
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert set(plan) == {
        "dry_run", "direction", "repository", "kind", "name", "namespace", "version",
        "target_path", "transfer", "reuse", "reuse_known", "skipped", "files_to_transfer",
        "bytes_to_transfer", "bytes_reused", "fallback_store",
    }  # fmt: skip
    assert plan["dry_run"] is True
    assert plan["direction"] == "upload"
    assert plan["transfer"] == [
        {"path": "extra.bin", "size": 9, "area": "files", "link": None, "conflict": None}
    ]
    assert plan["fallback_store"] == str(store_dir)
    assert {f["path"] for f in plan["reuse"]} == {"config.json", "weights/model.bin"}
    assert {"path": ".git/", "reason": "always ignored"} in plan["skipped"]
    assert plan["bytes_to_transfer"] == 9
    versions = json.loads(invoke("model", "versions", "ml-local", "fraud", "--json").stdout)
    assert [v["version"] for v in versions] == ["1"]
    human = invoke("model", "upload", "ml-local", "fraud", str(model_dir), *FORMAT, "--dry-run")
    assert "Nothing was transferred" in human.stdout
    assert "extra.bin" in human.stdout
    assert "deduplicate" in human.stdout


def test_download_dry_run_and_patterns(invoke: Invoke, model_dir: Path, tmp_path: Path) -> None:
    _upload(invoke, model_dir, "-v", "1")
    out = tmp_path / "out"
    plan = json.loads(
        invoke(
            "model", "download", "ml-local", "fraud", "1", str(out), "--dry-run", "--json",
            "--exclude", "*.json",
        ).stdout
    )  # fmt: skip
    assert not out.exists()
    assert [f["path"] for f in plan["transfer"]] == ["weights/model.bin"]
    assert plan["skipped"] == [{"path": "config.json", "reason": "excluded"}]
    result = invoke(
        "model", "download", "ml-local", "fraud", "1", str(out), "--include", "*.json", "--json"
    )
    document = json.loads(result.stdout)
    assert document["files"] == ["config.json"]
    assert document["skipped"] == [{"path": "weights/model.bin", "reason": "not included"}]
    assert not (out / "weights").exists()


def test_verbose_prints_plain_progress_lines_on_stderr(invoke: Invoke, model_dir: Path) -> None:
    result = invoke(
        "--verbose", "model", "upload", "ml-local", "fraud", str(model_dir), *FORMAT, "-v", "1"
    )
    assert result.exit_code == 0, result.stderr
    assert "Uploading fraud: 2 file(s)" in result.stderr
    assert "[2/2]" in result.stderr
    assert "\x1b[" not in result.stderr  # nothing animated, no colour off a terminal


def test_json_logs_with_log_format_json(invoke: Invoke, model_dir: Path) -> None:
    (model_dir / "linked.json").symlink_to(model_dir / "config.json")
    args = ("model", "upload", "ml-local", "fraud", str(model_dir), *FORMAT, "--dry-run")
    result = invoke("--verbose", "--log-format", "json", *args)
    events = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [e["event"] for e in events] == ["symlink_followed"]
    assert events[0]["level"] == "info"
    assert events[0]["target"] == str((model_dir / "config.json").resolve())


def test_quiet_hides_warnings(invoke: Invoke) -> None:
    result = invoke("-q", "dataset", "ls", "nowhere")
    assert result.exit_code == 4
    assert result.stderr.startswith("Error:")


def test_debug_adds_a_traceback(invoke: Invoke) -> None:
    result = invoke("--debug", "dataset", "info", "ml-local", "d", "1")
    assert result.exit_code == 4
    assert "Traceback" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["model", "upload"],
        ["--timeout", "-1", "model", "ls", "ml-local"],
        ["--threads", "0", "model", "ls", "ml-local"],
        ["model", "upload", "ml-local", "m", ".", *FORMAT, "--include", "[z-a]"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_2(invoke: Invoke, args: list[str]) -> None:
    assert invoke(*args).exit_code == 2


def test_whoami_json_on_the_embedded_store(invoke: Invoke) -> None:
    document = json.loads(invoke("whoami", "--json").stdout)
    assert document == {"configured": False, "store": "embedded", "source": None, "url": None}


def test_doctor_on_the_embedded_store(invoke: Invoke, store_dir: Path) -> None:
    result = invoke("doctor", "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["ok"] is True
    assert [c["name"] for c in document["checks"]] == ["configuration", "store", "disk"]
    assert set(document["checks"][0]) == {"name", "verdict", "detail"}
    human = invoke("doctor")
    assert "All checks passed" in human.stdout


def test_doctor_fails_when_the_store_folder_is_not_writable(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("FROGML_STORE_DIR", str(blocker / "store"))
    result = invoke("doctor")
    assert result.exit_code == 1
    assert "fail" in result.stdout


def test_insecure_prints_a_warning(invoke: Invoke) -> None:
    result = invoke("--insecure", "whoami")
    assert result.exit_code == 0
    assert "TLS certificate verification is off" in result.stderr


def test_help_of_every_command_has_an_example(invoke: Invoke) -> None:
    commands = [
        ["login"], ["logout"], ["whoami"], ["doctor"], ["config", "show"],
        *([group, cmd] for group in ("model", "dataset")
          for cmd in ("upload", "download", "info", "versions", "ls")),
    ]  # fmt: skip
    for command in commands:
        result = invoke(*command, "--help")
        assert result.exit_code == 0, command
        assert "Example: frogml" in result.stdout, command
