"""The ``frogml`` console script: builds the CLI with the library behind it.

Everything heavy (the HTTP stack, the stores) is imported only when a command runs,
so ``frogml --help`` and ``frogml --version`` stay fast.
"""

from __future__ import annotations

import os

import rich_click as click

from adapters.cli import CliServices, StorageApi, build_cli
from adapters.cli.login import login_commands
from adapters.credentials import EnvironmentSource, FrogMLConfigFile, JfrogCliConfig
from domain.ports.credentials import Credentials
from domain.services.login import Login
from domain.services.resolve_credentials import resolve_credentials
from frogml._bootstrap import config_file_path, jfrog_cli_config_path

__all__ = ["build", "main"]


def _make_storage() -> StorageApi:
    from frogml._storage import FrogMLStorage

    return FrogMLStorage()


def _config_file() -> FrogMLConfigFile:
    return FrogMLConfigFile(config_file_path(os.environ))


def _jfrog_cli() -> JfrogCliConfig:
    return JfrogCliConfig(jfrog_cli_config_path(os.environ))


def _login() -> Login:
    from frogml._probe import ArtifactoryProbe

    return Login(probe=ArtifactoryProbe(env=os.environ), store=_config_file())


def _resolve() -> Credentials | None:
    return resolve_credentials([EnvironmentSource(os.environ), _config_file()])


def build() -> click.Group:
    """The root command, wired to the library (tests drive it with CliRunner)."""
    from frogml import __version__

    cli = build_cli(CliServices(make_storage=_make_storage, version=__version__))
    for command in login_commands(
        login=_login, store=_config_file, jfrog_cli=_jfrog_cli, resolve=_resolve
    ):
        cli.add_command(command)
    return cli


def main() -> None:
    """Entry point of the ``frogml`` command."""
    build()(prog_name="frogml")
