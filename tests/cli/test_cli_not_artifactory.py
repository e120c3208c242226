"""A server that is not Artifactory is recognised by positive signs, in every command.

An HTML page (a proxy's login page, a web server) or JSON of another shape where JSON is
expected says "does not look like an Artifactory server", in one line. A bare 404 is no
such sign, and a proxy's HTML error page for a 5xx is a transient failure.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from emulator.server import serving
from tests.cli.conftest import Invoke

_PAGE = (
    b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>"
    + b"<h1>Corporate proxy</h1>" * 200
    + b"\x1b[2J\x1b]0;pwned\x07</body></html>"
)


def _handler(status: int, body: bytes, content_type: str) -> type[BaseHTTPRequestHandler]:
    class Answer(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Answer


@contextmanager
def _server(status: int, body: bytes, content_type: str) -> Iterator[str]:
    with serving(_handler(status, body, content_type)) as origin:
        yield origin


_COMMANDS = [
    ["model", "versions", "ml-local", "iris"],
    ["model", "ls", "ml-local"],
    ["dataset", "info", "ml-local", "rows", "1"],
    ["dataset", "download", "ml-local", "rows", "1", "{out}"],
    ["dataset", "upload", "ml-local", "rows", "{src}", "-v", "1"],
]


@pytest.mark.parametrize("status", [200, 404])
@pytest.mark.parametrize("command", _COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_every_command_says_an_html_server_is_not_artifactory(
    invoke: Invoke,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    status: int,
    command: list[str],
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.csv").write_text("1\n")
    args = [a.format(out=tmp_path / "out", src=tmp_path / "src") for a in command]
    with _server(status, _PAGE, "text/html") as url:
        monkeypatch.setenv("JF_URL", url)
        monkeypatch.setenv("JF_ACCESS_TOKEN", "token-of-no-use")
        result = invoke(*args)
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "does not look like an Artifactory server (it answered an HTML page" in lines[0]
    assert "Corporate proxy" not in result.stderr  # the page itself is not dumped
    assert "\x1b" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_doctor_says_reached_but_not_artifactory(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _server(200, _PAGE, "text/html") as url:
        monkeypatch.setenv("JF_URL", url)
        result = invoke("doctor", "--json")
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["server"]["verdict"] == "fail"
    assert checks["server"]["detail"].startswith(f"reached {url}, but not Artifactory")


def test_json_of_another_shape_is_not_artifactory(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _server(200, b'{"hello": "world"}', "application/json") as url:
        monkeypatch.setenv("JF_URL", url)
        monkeypatch.setenv("JF_ACCESS_TOKEN", "token-of-no-use")
        result = invoke("model", "versions", "ml-local", "iris")
    assert result.exit_code == 1
    assert "does not look like an Artifactory server (it answered JSON of another shape" in (
        result.stderr
    )


def test_a_bare_404_is_not_a_sign(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    with _server(404, b"", "text/plain") as url:
        monkeypatch.setenv("JF_URL", url)
        monkeypatch.setenv("JF_ACCESS_TOKEN", "token-of-no-use")
        result = invoke("dataset", "info", "ml-local", "rows", "1")
    assert result.exit_code == 4  # not found
    assert "does not look like" not in result.stderr
