"""The CLI against the Artifactory emulator (JF_URL / JF_ACCESS_TOKEN)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from tests.cli.conftest import Invoke

FORMAT = ["--framework", "sklearn", "--framework-version", "1.5", "--format", "pkl"]


@pytest.fixture
def server(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    monkeypatch.setenv("JF_URL", emulator.url)
    monkeypatch.setenv("JF_ACCESS_TOKEN", EMULATOR_TOKEN)
    return emulator


def test_every_model_command_works_against_the_server(
    invoke: Invoke, server: Emulator, model_dir: Path, tmp_path: Path
) -> None:
    up = invoke(
        "--timeout", "20", "--threads", "2",
        "model", "upload", "ml-local", "fraud", str(model_dir), *FORMAT, "-v", "1", "-n", "risk",
        "--exclude", "config.json", "--json",
    )  # fmt: skip
    assert up.exit_code == 0, up.stderr
    assert [a["artifact_path"] for a in json.loads(up.stdout)["manifest"]["model_artifacts"]] == [
        "weights/model.bin"
    ]
    invoke("model", "upload", "ml-local", "plain", str(model_dir), *FORMAT, "-v", "2")
    listed = json.loads(invoke("model", "ls", "ml-local", "--json").stdout)
    assert [e["path"] for e in listed] == ["plain", "risk/fraud"]
    info = json.loads(
        invoke("model", "info", "ml-local", "fraud", "1", "-n", "risk", "--json").stdout
    )
    assert info["version"] == "1"
    versions = json.loads(invoke("model", "versions", "ml-local", "plain", "--json").stdout)
    assert [v["version"] for v in versions] == ["2"]
    out = tmp_path / "out"
    down = invoke("model", "download", "ml-local", "fraud", "1", str(out), "-n", "risk", "--json")
    assert down.exit_code == 0, down.stderr
    assert (out / "weights" / "model.bin").read_bytes() == (
        model_dir / "weights" / "model.bin"
    ).read_bytes()


def test_dataset_commands_and_an_upload_plan_against_the_server(
    invoke: Invoke, server: Emulator, model_dir: Path
) -> None:
    plan = json.loads(
        invoke("dataset", "upload", "ml-local", "d", str(model_dir), "--dry-run", "--json").stdout
    )
    assert plan["reuse_known"] is False
    assert len(plan["transfer"]) == 2
    assert json.loads(invoke("dataset", "ls", "ml-local", "--json").stdout) == []
    assert invoke("dataset", "upload", "ml-local", "d", str(model_dir), "-v", "1").exit_code == 0
    assert json.loads(invoke("dataset", "ls", "ml-local", "--json").stdout)[0]["name"] == "d"


def test_a_rejected_token_exits_3_and_a_missing_repository_4(
    invoke: Invoke, server: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("model", "ls", "no-such-repo").exit_code == 4
    monkeypatch.setenv("JF_ACCESS_TOKEN", "wrong-token")
    result = invoke("model", "ls", "ml-local")
    assert result.exit_code == 3
    assert "wrong-token" not in result.stderr


def test_doctor_checks_the_server(invoke: Invoke, server: Emulator) -> None:
    result = invoke("doctor", "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    verdicts = {c["name"]: c["verdict"] for c in json.loads(result.stdout)["checks"]}
    assert verdicts == {
        "configuration": "ok",
        "server": "ok",
        "tls": "warn",  # plain http
        "credentials": "ok",
        "clock": "ok",
    }


def test_doctor_fails_on_rejected_credentials(
    invoke: Invoke, server: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JF_ACCESS_TOKEN", "wrong-token")
    result = invoke("doctor")
    assert result.exit_code == 1
    [line] = [row for row in result.stdout.splitlines() if row.startswith("credentials")]
    assert line.split()[1] == "fail"


def test_doctor_fails_when_the_server_is_unreachable(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.integration._login_harness import closed_port_url

    monkeypatch.setenv("JF_URL", closed_port_url())
    result = invoke("doctor", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["checks"][1] == {
        "name": "server",
        "verdict": "fail",
        "detail": json.loads(result.stdout)["checks"][1]["detail"],
    }


def test_whoami_json_masks_the_token(invoke: Invoke, server: Emulator) -> None:
    document = json.loads(invoke("whoami", "--json").stdout)
    assert document["store"] == "artifactory"
    assert document["auth"] == "token"
    assert document["source"] == "environment"
    assert EMULATOR_TOKEN not in json.dumps(document)


def test_a_refused_environment_token_says_to_fix_the_variables_not_to_log_in(
    invoke: Invoke, server: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # JF_URL/JF_ACCESS_TOKEN win over `frogml login`: logging in again would not help
    monkeypatch.setenv("JF_ACCESS_TOKEN", "wrong-token-4567")
    for args in (["model", "ls", "ml-local"], ["--debug", "model", "ls", "ml-local"]):
        result = invoke(*args)
        assert result.exit_code == 3
        line = result.stderr.strip().splitlines()[-1]
        assert line.startswith("Error: ")
        assert "JF_ACCESS_TOKEN" in line
        assert "run `frogml login`" not in line
        assert "wrong-token-4567" not in result.output


def test_json_logs_with_a_refused_token_hold_no_secret(
    invoke: Invoke, server: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JF_ACCESS_TOKEN", "wrong-token-4567")
    result = invoke("--debug", "--log-format", "json", "--verbose", "model", "ls", "ml-local")
    assert result.exit_code == 3
    assert "wrong-token-4567" not in result.output
