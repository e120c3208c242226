"""Exact, consistent output: namespaces in summaries, IEC units, times with their zone,
one JSON style, and plain progress lines off a terminal (the clock injected)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from frogml.adapters.cli._periodic import PeriodicProgress, progress_interval
from frogml.adapters.cli._progress import progress_for
from frogml.domain.errors import ConfigurationError
from frogml.domain.ports.progress import NULL_EVENTS
from tests.cli.conftest import Invoke

FORMAT = ["--framework", "numpy", "--framework-version", "1.26", "--format", "json"]
ISO_WITH_ZONE = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00"


def _upload(invoke: Invoke, source: Path, *extra: str) -> str:
    args = ("model", "upload", "ml-local", "iris", str(source), *FORMAT, "-n", "team", *extra)
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_summaries_name_the_namespace_and_split_moved_from_reused_bytes(
    invoke: Invoke, model_dir: Path, tmp_path: Path
) -> None:
    first = _upload(invoke, model_dir, "-v", "1")
    again = _upload(invoke, model_dir, "-v", "2")
    down = invoke("model", "download", "ml-local", "iris", "2", str(tmp_path / "o"), "-n", "team")

    assert first.startswith("Uploaded model team/iris version 1 to ")
    assert "2 file(s) sent, 0 already stored; 25.0 KiB sent, 0 B reused" in first
    assert "0 file(s) sent, 2 already stored; 0 B sent, 25.0 KiB reused" in again
    assert down.stdout.startswith("Downloaded model team/iris 2 to ")
    assert "25.0 KiB downloaded, 0 B reused" in down.stdout


def test_info_and_versions_show_the_same_time_with_its_zone(
    invoke: Invoke, model_dir: Path
) -> None:
    _upload(invoke, model_dir, "-v", "1")

    info = invoke("model", "info", "ml-local", "iris", "1", "-n", "team").stdout
    versions = invoke("model", "versions", "ml-local", "iris", "-n", "team").stdout
    info_json = json.loads(
        invoke("model", "info", "ml-local", "iris", "1", "-n", "team", "--json").stdout
    )
    versions_json = json.loads(
        invoke("model", "versions", "ml-local", "iris", "-n", "team", "--json").stdout
    )

    created = re.search(rf"created:\s+({ISO_WITH_ZONE})", info)
    assert created is not None, info
    assert created.group(1) in versions.splitlines()[1]
    assert info_json["created"] == versions_json[0]["created"] == created.group(1)


def test_whoami_and_login_print_compact_json_as_every_command(
    invoke: Invoke, model_dir: Path, emulator: Emulator
) -> None:
    documents = [
        invoke("whoami", "--json").stdout,
        _upload(invoke, model_dir, "-v", "1", "--json"),
        invoke("login", "--url", emulator.url, "--token", EMULATOR_TOKEN, "--json").stdout,
        invoke("whoami", "--json").stdout,
        invoke("config", "show", "--json").stdout,
    ]
    for text in documents:
        compact = json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
        assert text == compact + "\n"


# -- progress off a terminal ----------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_off_a_terminal_a_long_transfer_says_where_it_stands_every_interval() -> None:
    clock, lines = _Clock(), list[str]()
    progress = PeriodicProgress("Downloading", interval=10, clock=clock, echo=lines.append)
    progress.started(files=3, total_bytes=3 << 20)
    clock.now += 5
    progress.advanced(1 << 20)
    assert lines == []  # a transfer shorter than the interval prints nothing
    clock.now += 5
    progress.reused(1 << 20)
    clock.now += 1
    progress.file_done("a.bin", transferred=True)
    clock.now += 9
    progress.advanced(512 << 10)

    assert lines == [
        "Downloading: 0/3 file(s), 2.0 MiB of 3.0 MiB (66%), 1.0 MiB reused, 102.4 KiB/s",
        "Downloading: 1/3 file(s), 2.5 MiB of 3.0 MiB (83%), 1.0 MiB reused, 76.8 KiB/s",
    ]


def test_the_progress_interval_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert progress_interval({}) == 10
    assert progress_interval({"FROGML_PROGRESS_INTERVAL": "2.5"}) == 2.5
    with pytest.raises(ConfigurationError, match="FROGML_PROGRESS_INTERVAL"):
        progress_interval({"FROGML_PROGRESS_INTERVAL": "often"})
    monkeypatch.setenv("FROGML_PROGRESS_INTERVAL", "0")
    assert progress_for("x", quiet=False) is NULL_EVENTS  # 0: never
    monkeypatch.setenv("FROGML_PROGRESS_INTERVAL", "10")
    assert isinstance(progress_for("x", quiet=False), PeriodicProgress)  # stderr: no terminal
    assert progress_for("x", quiet=True) is NULL_EVENTS  # --quiet suppresses it


def test_a_bad_progress_interval_is_a_configuration_error(
    invoke: Invoke, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FROGML_PROGRESS_INTERVAL", "often")
    result = invoke("model", "upload", "ml-local", "iris", str(model_dir), *FORMAT)
    assert result.exit_code == 5
    assert "FROGML_PROGRESS_INTERVAL" in result.stderr


def test_json_log_lines_are_compact_too(invoke: Invoke, model_dir: Path) -> None:
    (model_dir / "linked.json").symlink_to(model_dir / "config.json")
    args = ("model", "upload", "ml-local", "m", str(model_dir), *FORMAT, "--dry-run")
    result = invoke("--verbose", "--log-format", "json", *args)
    lines = [line for line in result.stderr.splitlines() if line.startswith("{")]
    assert lines
    for line in lines:
        compact = json.dumps(json.loads(line), separators=(",", ":"), ensure_ascii=False)
        assert line == compact


def test_a_speed_counts_only_the_bytes_that_moved(invoke: Invoke, model_dir: Path) -> None:
    _upload(invoke, model_dir, "-v", "1")
    again = invoke(
        "--verbose", "model", "upload", "ml-local", "iris", str(model_dir), *FORMAT, "-n", "team",
        "-v", "2",
    )  # fmt: skip
    done = [line for line in again.stderr.splitlines() if ": done " in line]
    assert len(done) == 1, again.stderr
    assert re.search(
        r"done 2/2 file\(s\), 0 B moved, 25\.0 KiB reused in [\d.]+s \(0 B/s\)", done[0]
    )


def test_the_live_display_shows_speeds_in_iec_units() -> None:
    from rich.progress import Progress

    from frogml.adapters.cli._progress import _speed_column

    clock = _Clock()
    progress = Progress(get_time=clock)
    task_id = progress.add_task("x", total=10 << 20)
    progress.advance(task_id, 0)
    clock.now += 2
    progress.advance(task_id, 2 << 20)
    (task,) = progress.tasks
    assert str(_speed_column().render(task)) == "1.0 MiB/s"
