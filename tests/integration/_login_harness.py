"""The login commands wired to the real adapters, as the composition root will wire them."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import rich_click as click
from click.testing import CliRunner, Result

from emulator.server import serving
from frogml.adapters.artifactory.probe import ArtifactoryProbe
from frogml.adapters.cli import CliServices, StorageApi, build_cli
from frogml.adapters.cli.login import login_commands
from frogml.adapters.credentials import EnvironmentSource, FrogMLConfigFile, JfrogCliConfig
from frogml.domain.services.login import Login
from frogml.domain.services.resolve_credentials import resolve_credentials


def _no_storage() -> StorageApi:
    raise AssertionError("login commands never build the storage")


class LoginCli:
    """``frogml`` with the login commands, HOME taken from the environment at each call."""

    def __init__(self) -> None:
        cli = build_cli(CliServices(make_storage=_no_storage, version="0"))
        for command in login_commands(
            login=lambda: Login(
                probe=ArtifactoryProbe(env=os.environ, timeout=5.0), store=self.config()
            ),
            store=self.config,
            jfrog_cli=self.jfrog_cli,
            resolve=lambda: resolve_credentials(
                environment=EnvironmentSource(os.environ), saved=self.config()
            ),
        ):
            cli.add_command(command)
        self.cli: click.Group = cli

    @property
    def home(self) -> Path:
        return Path(os.environ["HOME"])

    def config(self) -> FrogMLConfigFile:
        return FrogMLConfigFile(self.home / ".frogml" / "config.json")

    def jfrog_cli(self) -> JfrogCliConfig:
        return JfrogCliConfig(self.home / ".jfrog" / "jfrog-cli.conf.v6")

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(self.cli, list(args), input=input)


def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/artifactory"


class _NotArtifactory(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html><body><h1>404 Not Found</h1></body></html>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def not_artifactory() -> Iterator[str]:
    """A tiny web server answering every GET with a 404 HTML page; yields its URL."""
    with serving(_NotArtifactory) as origin:
        yield origin
