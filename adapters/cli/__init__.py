"""The ``frogml`` command line: a driving adapter over the use cases.

``build_cli(services)`` returns the root command; the composition root injects the
services (``frogml.cli.main``), so this package imports no other adapter.
"""

from __future__ import annotations

from typing import Any

import rich_click as click

from adapters.cli._api import CliServices, StorageApi
from adapters.cli._errors import EXIT_INTERRUPTED, report
from adapters.cli.dataset import dataset
from adapters.cli.model import model
from domain.errors import FrogMLError

__all__ = ["CliServices", "StorageApi", "build_cli"]


class _RootGroup(click.RichGroup):
    """Translates domain errors into one stderr line and an exit code, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FrogMLError as error:
            ctx.exit(report(error, debug=bool(ctx.meta.get("frogml.debug"))))
        except KeyboardInterrupt:
            click.echo("Interrupted; run the same command again to resume.", err=True)
            ctx.exit(EXIT_INTERRUPTED)


def build_cli(services: CliServices) -> click.Group:
    """The root ``frogml`` command with every group attached."""

    @click.group(cls=_RootGroup)
    @click.version_option(services.version, prog_name="frogml")
    @click.option("--debug", is_flag=True, envvar="JFML_DEBUG", help="Show tracebacks.")
    @click.pass_context
    def cli(ctx: click.Context, debug: bool) -> None:
        """Store and fetch versioned ML models and datasets in JFrog Artifactory,
        or in an embedded local store when no server is configured."""
        ctx.obj = services
        ctx.meta["frogml.debug"] = debug

    cli.add_command(model)
    cli.add_command(dataset)
    return cli
