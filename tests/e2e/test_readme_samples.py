"""The README's command samples are real runs: each block marked ``<!-- replayed: SESSION -->``
is run again, command by command, and what each command printed on standard output must
be what the README shows.

Blocks of one session run in README order in one shared setting, as a reader would type
them: ``server`` against the emulator (a token of user alice, repository ``ml-local``),
``embedded`` on the embedded store. Both start in a fresh folder holding a copy of
``examples/`` and ``token.txt``; the embedded session first publishes
``examples/iris-model`` as ``iris`` 1.0.0 and holds a ``model/`` folder like the one the
dry-run sample shows.

Only what varies from run to run is masked, on both sides alike: times (ISO 8601, and
versions named by the upload time), the Python version (``python 3.11``), the emulator's
URL and the server id made of its port (shown as ``https://acme.jfrog.io`` and
``acme.jfrog.io``) and the temporary home folder (shown as ``/home/me``).
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from emulator.app import Emulator
from frogml.root.cli import build

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
TOKEN = "eyJ" + "0" * 40 + "Q0"  # masked as eyJ…Q0, as in the README
README_URL = "https://acme.jfrog.io"
README_HOME = "/home/me"
FORMAT = ["--framework", "numpy", "--framework-version", "1.26", "--format", "json"]

_MASKS = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "<time>"),
    (re.compile(r"\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d"), "<time>"),
    (re.compile(r"python \d+\.\d+"), "python <version>"),
]


@dataclass
class Step:
    command: str
    expected: list[str] = field(default_factory=list)


def _blocks() -> dict[str, list[list[Step]]]:
    """``{session: [block, ...]}`` of the replayed samples, in README order."""
    text = README.read_text(encoding="utf-8")
    found: dict[str, list[list[Step]]] = {}
    for match in re.finditer(r"<!-- replayed: (\w+) -->\n```text\n(.*?)\n```", text, re.S):
        found.setdefault(match.group(1), []).append(_steps(match.group(2)))
    return found


def _steps(block: str) -> list[Step]:
    steps: list[Step] = []
    lines = block.splitlines()
    while lines:
        line = lines.pop(0)
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\"):
                command = command[:-1] + " " + lines.pop(0).strip()
            steps.append(Step(command))
        else:
            assert steps, f"a sample starts with output, not a command: {line!r}"
            steps[-1].expected.append(line)
    return steps


class Session:
    """Runs the sample commands in one folder, with one HOME, through the real CLI."""

    def __init__(self, work: Path, home: Path, url: str | None) -> None:
        self.work, self.home, self.url = work, home, url
        self.cli = build()

    def run(self, command: str, monkeypatch: pytest.MonkeyPatch) -> str:
        if self.url is not None:
            command = command.replace(README_URL, self.url)
        words = shlex.split(command)
        stdin = None
        if "<" in words:
            at = words.index("<")
            stdin = (self.work / words[at + 1]).read_text()
            words = words[:at] + words[at + 2 :]
        if words[0] == "cat":
            return (self.work / words[1]).read_text()
        assert words[0] == "frogml", f"a sample runs frogml or cat, not {words[0]!r}"
        monkeypatch.chdir(self.work)
        result = CliRunner().invoke(self.cli, words[1:], input=stdin, catch_exceptions=False)
        assert result.exit_code == 0, f"{command}\n{result.output}"
        return str(result.stdout)

    def masked(self, text: str) -> str:
        if self.url is not None:
            port = self.url.split("://", 1)[1].split("/", 1)[0]
            text = text.replace(self.url, README_URL)
            text = text.replace(port.replace(":", "-"), README_URL.split("://")[1])
        text = text.replace(str(self.home), README_HOME)
        for pattern, mask in _MASKS:
            text = pattern.sub(mask, text)
        return text.rstrip("\n")


def _prepare(work: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "examples", work / "examples")
    (work / "token.txt").write_text(TOKEN)
    monkeypatch.setenv("HOME", str(home))


def _embedded_setup(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the embedded samples assume: iris 1.0.0 published, a ``model/`` folder."""
    model = session.work / "model"
    (model / "checkpoints").mkdir(parents=True)
    shutil.copy(session.work / "examples/iris-model/README.md", model / "README.md")
    weights = (session.work / "examples/iris-model/model.json").read_bytes()
    (model / "model.json").write_bytes(weights.replace(b"0", b"1"))  # same size, new bytes
    (model / ".frogmlignore").write_text("checkpoints/\n*.tmp\n")
    (model / "checkpoints" / "step-1.bin").write_bytes(b"\0" * 64)
    example = "examples/iris-model"
    session.run(
        f"frogml model upload ml-local iris {example} {' '.join(FORMAT)} -v 1.0.0", monkeypatch
    )


def _replay(session: Session, blocks: list[list[Step]], monkeypatch: pytest.MonkeyPatch) -> None:
    differences = []
    for block in blocks:
        for step in block:
            got = session.masked(session.run(step.command, monkeypatch))
            want = session.masked("\n".join(step.expected))
            if got != want:
                differences.append(f"$ {step.command}\n--- README\n{want}\n--- real run\n{got}")
    assert not differences, "\n\n".join(differences)


def test_the_readme_marks_samples_of_both_sessions() -> None:
    blocks = _blocks()
    assert set(blocks) == {"server", "embedded"}
    assert sum(len(b) for b in blocks["server"]) >= 8


def test_the_server_samples_are_what_real_runs_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, home = tmp_path / "work", tmp_path / "home"
    _prepare(work, home, monkeypatch)
    with Emulator(tokens=set(), repos=("ml-local",), anonymous="off") as emulator:
        emulator.add_token(TOKEN, user="alice")
        _replay(Session(work, home, emulator.url), _blocks()["server"], monkeypatch)


def test_the_embedded_samples_are_what_real_runs_print(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, home = tmp_path / "work", tmp_path / "home"
    _prepare(work, home, monkeypatch)
    session = Session(work, home, None)
    _embedded_setup(session, monkeypatch)
    _replay(session, _blocks()["embedded"], monkeypatch)
