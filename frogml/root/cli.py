"""The ``frogml`` console script: builds the CLI with the library behind it.

Everything heavy (msgspec, the use cases, the HTTP stack, the stores) is imported only
when a command runs, so ``frogml --help`` and ``frogml --version`` stay fast; a test
checks which modules they load. Factories read ``current_settings()``: what the global
network options say for this run, as one typed value.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import rich_click as click

from frogml.adapters.cli import (
    CliServices,
    StorageApi,
    build_cli,
    current_require_server,
    current_server,
    current_settings,
)
from frogml.adapters.cli.login import login_commands

if TYPE_CHECKING:
    from frogml.adapters.credentials import FrogMLConfigFile, JfrogCliConfig
    from frogml.domain.model.health import HealthCheck
    from frogml.domain.ports.credentials import Credentials
    from frogml.domain.ports.garbage import GarbageReport
    from frogml.domain.services.login import Login

__all__ = ["build", "main"]


def _make_storage() -> StorageApi:
    from frogml.root.storage import FrogMLStorage

    return FrogMLStorage(
        settings=current_settings(),
        server_id=current_server(),
        require_server=current_require_server(),
    )


def _config_file() -> FrogMLConfigFile:
    from frogml.adapters.credentials import FrogMLConfigFile
    from frogml.root.bootstrap import config_file_path

    return FrogMLConfigFile(config_file_path(os.environ))


def _jfrog_cli() -> JfrogCliConfig:
    from frogml.adapters.credentials import JfrogCliConfig
    from frogml.root.bootstrap import jfrog_cli_config_path

    return JfrogCliConfig(jfrog_cli_config_path(os.environ))


def _login() -> Login:
    from frogml.adapters.artifactory.probe import ArtifactoryProbe
    from frogml.domain.services.login import Login

    probe = ArtifactoryProbe(env=os.environ, settings=current_settings())
    return Login(probe=probe, store=_config_file())


def _resolve() -> Credentials | None:
    from frogml.root.bootstrap import resolve

    return resolve(None, os.environ, server_id=current_server())


def _doctor() -> Sequence[HealthCheck]:
    from frogml.root.doctor import run_checks

    return run_checks(os.environ, current_settings(), server_id=current_server())


def _collect_garbage(dry_run: bool) -> GarbageReport:
    """``frogml gc``: the embedded store, whatever server is configured (a ``file:`` URL
    names its folder; otherwise ``$FROGML_STORE_DIR`` or ``~/.frogml/store``)."""
    from frogml.root.auth import AuthConfig
    from frogml.root.bootstrap import default_store_dir, resolve
    from frogml.root.storage import FrogMLStorage

    credentials = resolve(None, os.environ)
    if credentials is not None and credentials.url.startswith("file:"):
        url = credentials.url
    else:
        url = default_store_dir(os.environ).absolute().as_uri()
    with FrogMLStorage(AuthConfig(url), settings=current_settings()) as storage:
        return storage.collect_garbage(dry_run=dry_run)


def build() -> click.Group:
    """The root command, wired to the library (tests drive it with CliRunner)."""
    from frogml import __version__

    services = CliServices(
        make_storage=_make_storage,
        version=__version__,
        doctor=_doctor,
        collect_garbage=_collect_garbage,
    )
    cli = build_cli(services)
    for command in login_commands(
        login=_login, store=_config_file, jfrog_cli=_jfrog_cli, resolve=_resolve
    ):
        cli.add_command(command)
    return cli


def main() -> None:
    """Entry point of the ``frogml`` command."""
    build()(prog_name="frogml")
