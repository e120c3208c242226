"""What a hostile server or a careless URL must never do to a terminal: escape sequences
and bidi overrides reach it only as visible escapes, long names are cut, and a password
in the server URL is shown nowhere. ``--json`` keeps the exact values."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from emulator.hostile import ESCAPES
from frogml import AuthConfig
from frogml.domain.ports.credentials import Credentials
from tests.cli.conftest import Invoke

FORMAT = ["--framework", "sklearn", "--framework-version", "1.5", "--format", "pkl"]
# Raw controls (ESC, BEL, ...), C1 controls and bidi/zero-width format characters.
_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MANIFEST = r"/entity-manifest/iris/1$"


@pytest.fixture
def server(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Emulator:
    monkeypatch.setenv("JF_URL", emulator.url)
    monkeypatch.setenv("JF_ACCESS_TOKEN", EMULATOR_TOKEN)
    return emulator


def _published(invoke: Invoke, model_dir: Path) -> None:
    up = invoke("model", "upload", "ml-local", "iris", str(model_dir), *FORMAT, "-v", "1")
    assert up.exit_code == 0, up.stderr


def test_info_shows_escapes_in_a_servers_format_and_names_visibly(
    invoke: Invoke, server: Emulator, model_dir: Path
) -> None:
    _published(invoke, model_dir)
    server.faults.escapes("GET", MANIFEST, times=None)
    result = invoke("model", "info", "ml-local", "iris", "1")
    assert result.exit_code == 0, result.stderr
    assert not _RAW.search(result.stdout)
    assert "\\x1b[2J\\x1b[H\\x1b[32mUpload OK" in result.stdout  # readable, not obeyed
    assert "\\u202ecod.exe" in result.stdout


def test_info_json_keeps_the_servers_exact_text(
    invoke: Invoke, server: Emulator, model_dir: Path
) -> None:
    _published(invoke, model_dir)
    server.faults.escapes("GET", MANIFEST, times=None)
    document = json.loads(invoke("model", "info", "ml-local", "iris", "1", "--json").stdout)
    assert document["manifest"]["model_format"]["framework"] == ESCAPES
    paths = [a["artifact_path"] for a in document["manifest"]["model_artifacts"]]
    assert any(p.endswith("\u202ecod.exe") for p in paths)


def test_an_error_message_with_escapes_is_one_visible_line(
    invoke: Invoke, server: Emulator, model_dir: Path
) -> None:
    _published(invoke, model_dir)
    server.faults.escapes("GET", r"\?properties", status=400, times=None)
    result = invoke("model", "info", "ml-local", "iris", "1")
    assert result.exit_code != 0
    assert not _RAW.search(result.stderr)
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ")
    assert "\\x1b]0;pwned\\x07" in line


def test_a_very_long_name_from_a_server_is_cut(
    invoke: Invoke, server: Emulator, model_dir: Path, tmp_path: Path
) -> None:
    (model_dir / "weights" / "model.bin").rename(model_dir / "weights" / ("n" * 240))
    _published(invoke, model_dir)
    rows = invoke("model", "info", "ml-local", "iris", "1").stdout.splitlines()
    (row,) = [r for r in rows if "nnnn" in r]
    assert "weights/" + "n" * 192 + "…  " in row  # 200 characters, then the ellipsis
    server.faults.deep_manifest(MANIFEST, depth=500_000, times=None)  # a 1 MiB name
    result = invoke("model", "download", "ml-local", "iris", "1", str(tmp_path / "out"))
    assert result.exit_code != 0
    (line,) = result.stderr.splitlines()
    assert len(line) < 1000
    assert "…" in line


def test_a_password_in_the_server_url_is_shown_nowhere(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JF_URL", "http://alice:SECRET-PW@127.0.0.1:9")
    monkeypatch.delenv("JF_ACCESS_TOKEN", raising=False)
    runs = [
        invoke("whoami"),
        invoke("whoami", "--json"),
        invoke("doctor"),
        invoke("doctor", "--json"),
        invoke("--debug", "model", "ls", "ml-local"),
        invoke("--verbose", "model", "versions", "ml-local", "iris"),
    ]
    for result in runs:
        assert "SECRET-PW" not in result.stdout + result.stderr
    assert any("alice:****@127.0.0.1" in r.stdout + r.stderr for r in runs)


def test_a_password_in_the_server_url_is_not_in_any_repr() -> None:
    assert "SECRET" not in repr(AuthConfig("https://alice:SECRET@acme.jfrog.io"))
    assert "SECRET" not in repr(Credentials(url="https://alice:SECRET@acme.jfrog.io"))
    assert "SECRET" not in repr(Credentials(url="https://SECRET@acme.jfrog.io"))


def test_a_config_file_cannot_write_escapes_to_the_terminal_through_whoami(
    invoke: Invoke, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JF_URL", raising=False)
    monkeypatch.delenv("JF_ACCESS_TOKEN", raising=False)
    config = isolated_home / ".frogml" / "config.json"
    config.parent.mkdir(exist_ok=True)
    server = {"server_id": ESCAPES, "artifactory_url": "https://acme.jfrog.io/artifactory"}
    config.write_text(json.dumps({"servers": [{**server, "user": ESCAPES, "password": "pw"}]}))
    config.chmod(0o600)
    result = invoke("whoami")
    assert result.exit_code == 0, result.stderr
    assert not _RAW.search(result.stdout + result.stderr)
    assert "User:   \\x1b[2J\\x1b[H\\x1b[32mUpload OK" in result.stdout
    assert json.loads(invoke("whoami", "--json").stdout)["user"] == ESCAPES


def test_a_servers_repository_description_reaches_the_terminal_only_escaped(
    invoke: Invoke, server: Emulator
) -> None:
    server.store.create_repo("ml-hostile", {"description": ESCAPES})
    result = invoke("repos")
    assert result.exit_code == 0, result.stderr
    assert not _RAW.search(result.stdout)
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("ml-hostile")]
    assert "\\x1b]0;pwned\\x07" in row
    listed = json.loads(invoke("repos", "--json").stdout)
    assert {r["key"]: r["description"] for r in listed}["ml-hostile"] == ESCAPES
