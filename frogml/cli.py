"""The ``frogml`` console script: builds the CLI with the library behind it.

Everything heavy (msgspec, the use cases, the HTTP stack, the stores) is imported only
when a command runs, so ``frogml --help`` and ``frogml --version`` stay fast; a test
checks which modules they load. Factories read ``current_env()``: the environment
plus what the global network options override for this run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import rich_click as click

from adapters.cli import CliServices, StorageApi, build_cli, current_env
from adapters.cli.login import login_commands

if TYPE_CHECKING:
    from adapters.credentials import FrogMLConfigFile, JfrogCliConfig
    from domain.model.health import HealthCheck
    from domain.ports.credentials import Credentials
    from domain.services.login import Login

__all__ = ["build", "main"]


def _make_storage() -> StorageApi:
    from frogml._storage import FrogMLStorage

    return FrogMLStorage(env=current_env())


def _config_file() -> FrogMLConfigFile:
    from adapters.credentials import FrogMLConfigFile
    from frogml._bootstrap import config_file_path

    return FrogMLConfigFile(config_file_path(current_env()))


def _jfrog_cli() -> JfrogCliConfig:
    from adapters.credentials import JfrogCliConfig
    from frogml._bootstrap import jfrog_cli_config_path

    return JfrogCliConfig(jfrog_cli_config_path(current_env()))


def _login() -> Login:
    from domain.services.login import Login
    from frogml._probe import ArtifactoryProbe

    return Login(probe=ArtifactoryProbe(env=current_env()), store=_config_file())


def _resolve() -> Credentials | None:
    from adapters.credentials import EnvironmentSource
    from domain.services.resolve_credentials import resolve_credentials

    return resolve_credentials([EnvironmentSource(current_env()), _config_file()])


def _doctor() -> Sequence[HealthCheck]:
    from frogml._doctor import run_checks

    return run_checks(current_env())


def build() -> click.Group:
    """The root command, wired to the library (tests drive it with CliRunner)."""
    from frogml import __version__

    cli = build_cli(CliServices(make_storage=_make_storage, version=__version__, doctor=_doctor))
    for command in login_commands(
        login=_login, store=_config_file, jfrog_cli=_jfrog_cli, resolve=_resolve
    ):
        cli.add_command(command)
    return cli


def main() -> None:
    """Entry point of the ``frogml`` command."""
    build()(prog_name="frogml")
