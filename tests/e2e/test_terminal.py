"""The installed ``frogml`` on a real (pseudo-)terminal: interactive login, the live
progress display, and a start-up that loads nothing heavy."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from tests.e2e.test_installed_cli import _frogml

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


class Terminal:
    """A process on its own pseudo-terminal (its controlling terminal, so Ctrl-C works)."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        pid, self._master = pty.fork()
        if pid == 0:  # the child: stdin, stdout and stderr are the terminal
            try:
                os.execve(args[0], args, env)  # noqa: S606 (no shell on purpose)
            finally:
                os._exit(127)
        self._pid = pid
        self.output = b""

    def expect(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text.encode() not in self.output:
            if not self._read(deadline - time.monotonic()):
                raise AssertionError(f"{text!r} never came; got {self.output!r}")

    def send(self, line: str) -> None:
        os.write(self._master, line.encode() + b"\r")

    def interrupt(self) -> None:
        os.write(self._master, b"\x03")  # Ctrl-C: the terminal sends SIGINT

    def interrupt_until_exit(self, attempts: int = 10, wait: float = 3.0) -> int:
        """Ctrl-C, again if the process was not yet reading when the first one came.

        The prompt's text reaches the terminal a moment before the process sits in
        its read; a Ctrl-C in that gap can be lost, which is the harness's race, not
        frogml's. Bounded: at most ``attempts`` presses.
        """
        for _ in range(attempts):
            self.interrupt()
            deadline = time.monotonic() + wait
            while self._read(deadline - time.monotonic()):
                pass
            pid, status = os.waitpid(self._pid, os.WNOHANG)
            if pid:
                os.close(self._master)
                return os.waitstatus_to_exitcode(status)
        return self.finish(timeout=1.0)

    def finish(self, timeout: float = 60.0) -> int:
        deadline = time.monotonic() + timeout
        while self._read(deadline - time.monotonic()):
            pass
        os.close(self._master)
        while time.monotonic() < deadline + 5:
            pid, status = os.waitpid(self._pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        os.kill(self._pid, 9)
        raise AssertionError(f"the process did not end; output {self.output!r}")

    def _read(self, remaining: float) -> bool:
        if remaining <= 0:
            return False
        ready, _, _ = select.select([self._master], [], [], remaining)
        if not ready:
            return False
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # the child closed the terminal
            return False
        self.output += chunk
        return bool(chunk)


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    return {**env, "HOME": str(home), "TERM": "xterm-256color", "COLUMNS": "100", **extra}


def test_interactive_login_on_a_terminal_hides_the_token(
    emulator: Emulator, isolated_home: Path
) -> None:
    terminal = Terminal([_frogml(), "login"], _env(isolated_home))
    terminal.expect("Artifactory URL")
    terminal.send(emulator.url)
    terminal.expect("Authenticate with")
    terminal.send("token")
    terminal.expect("Access token")
    terminal.send(EMULATOR_TOKEN)
    assert terminal.finish() == 0, terminal.output
    assert b"Logged in to" in terminal.output
    assert EMULATOR_TOKEN.encode() not in terminal.output
    saved = json.loads((isolated_home / ".frogml" / "config.json").read_text())
    assert saved["servers"][0]["access_token"] == EMULATOR_TOKEN


def test_ctrl_c_at_a_login_prompt_exits_130(isolated_home: Path) -> None:
    terminal = Terminal([_frogml(), "login"], _env(isolated_home))
    terminal.expect("Artifactory URL")
    assert terminal.interrupt_until_exit() == 130, terminal.output
    assert not (isolated_home / ".frogml" / "config.json").exists()


def test_a_transfer_on_a_terminal_draws_one_aggregate_progress_display(
    tmp_path: Path, isolated_home: Path
) -> None:
    source = tmp_path / "data"
    source.mkdir()
    for index in range(3):
        (source / f"part-{index}.bin").write_bytes(os.urandom(4 << 20))
    terminal = Terminal(
        [_frogml(), "dataset", "upload", "ml-local", "d", str(source), "-v", "1"],
        _env(isolated_home),
    )
    assert terminal.finish() == 0, terminal.output
    screen = terminal.output.decode(errors="replace")
    assert "Uploading d" in screen
    assert "/3 files" in screen
    assert "\x1b[" in screen  # drawn live on the terminal (and erased at the end)
    assert "Uploaded dataset d version 1" in screen


def test_the_same_transfer_off_a_terminal_draws_nothing(
    tmp_path: Path, isolated_home: Path
) -> None:
    source = tmp_path / "data.bin"
    source.write_bytes(os.urandom(1 << 20))
    done = subprocess.run(
        [_frogml(), "dataset", "upload", "ml-local", "d", str(source), "-v", "1"],
        env=_env(isolated_home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout + done.stderr
    assert "files" not in done.stderr


_PROBE = """
import json, sys
from frogml.root.cli import build
try:
    build()(sys.argv[1:], prog_name="frogml")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["model", "upload", "--help"]])
def test_help_and_version_load_no_heavy_module(args: list[str], isolated_home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=_env(isolated_home),
    )
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    heavy = {"urllib3", "msgspec", "structlog", "ssl", "http.client", "frogml.adapters.local_store"}
    assert not heavy & loaded
    assert not {
        m for m in loaded if m.startswith(("frogml.domain.model", "frogml.adapters.artifactory"))
    }


@pytest.mark.parametrize(
    ("extra", "styled"),
    [({}, True), ({"NO_COLOR": "1"}, False), ({"TERM": "dumb"}, False)],
)
def test_help_on_a_terminal_has_no_escape_codes_with_no_color_or_a_dumb_terminal(
    isolated_home: Path, extra: dict[str, str], styled: bool
) -> None:
    # rich drops colours for NO_COLOR but kept bold and dim: now no styles at all
    for args in (["model", "upload", "--help"], ["model"]):
        terminal = Terminal([_frogml(), *args], _env(isolated_home, **extra))
        terminal.finish()
        assert b"Usage:" in terminal.output
        assert (b"\x1b[" in terminal.output) is styled, terminal.output[:300]
