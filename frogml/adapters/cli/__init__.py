"""The ``frogml`` command line: a driving adapter over the use cases.

``build_cli(services)`` returns the root command; the composition root injects the
services (``frogml.root.cli.main``), so this package imports no other adapter. Importing it
loads rich-click and nothing heavy: domain values, msgspec, structlog and the stores
are imported inside the commands, so ``frogml --help`` and ``--version`` start fast.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

import rich_click as click

from frogml.adapters.cli._api import CliServices, StorageApi
from frogml.adapters.cli._errors import (
    EXIT_CONFIGURATION,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    environment_line,
    report,
    usage_line,
)
from frogml.adapters.cli._local_store import current_require_server, require_server_option
from frogml.adapters.cli._logging import LOG_FORMATS, configure_logging, use_colors
from frogml.adapters.cli._network import (
    INSECURE_WARNING,
    current_settings,
    network_options,
    remember,
)
from frogml.adapters.cli._server import current_server, server_option
from frogml.adapters.cli.doctor import doctor_command
from frogml.adapters.cli.entity import entity_group
from frogml.adapters.cli.gc import gc_command
from frogml.adapters.cli.repos import repos_command
from frogml.domain.errors import FrogMLError

__all__ = [
    "CliServices",
    "StorageApi",
    "build_cli",
    "current_require_server",
    "current_server",
    "current_settings",
    "server_option",
]


_NO_ANSWER = (
    "Error: standard input ended before the question was answered "
    "(on a terminal, answer it; in a script, give the answer as options, "
    "e.g. `frogml login --url URL --token-stdin`)"
)


class _RootGroup(click.RichGroup):
    """Translates every error into one stderr line and an exit code, in one place."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """click's main, but a usage error is one ``Error:`` line, not a framed panel."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            from_environment = environment_line(error)  # a bad JFML_* value: configuration
            if from_environment is not None:
                click.echo(from_environment, err=True)
                sys.exit(EXIT_CONFIGURATION)
            click.echo(usage_line(error), err=True)
            sys.exit(EXIT_USAGE)
        except click.ClickException as error:
            click.echo(f"Error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort as abort:
            if isinstance(abort.__context__, EOFError):
                click.echo(err=True)  # end the question's line
                click.echo(_NO_ANSWER, err=True)
                sys.exit(EXIT_USAGE)
            click.echo("Aborted.", err=True)
            sys.exit(EXIT_FAILURE)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FrogMLError as error:
            ctx.exit(report(error, debug=bool(ctx.meta.get("frogml.debug")), env=os.environ))
        except KeyboardInterrupt:
            click.echo("Interrupted; run the same command again to resume.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except click.Abort as abort:
            # click turns Ctrl-C at a prompt into Abort; that is an interruption too
            if isinstance(abort.__context__, KeyboardInterrupt):
                click.echo("Interrupted.", err=True)
                ctx.exit(EXIT_INTERRUPTED)
            raise


def _log_level(*, debug: bool, verbose: bool, quiet: bool) -> int:
    if debug:
        return logging.DEBUG
    if verbose:
        return logging.INFO
    return logging.ERROR if quiet else logging.WARNING


def build_cli(services: CliServices) -> click.Group:
    """The root ``frogml`` command with every group attached."""

    settings: dict[str, Any] = {"help_option_names": ["-h", "--help"]}
    if not use_colors(None, terminal=True):
        # rich drops colours for NO_COLOR but keeps bold and dim: no styles at all
        settings["rich_help_config"] = {"color_system": None}

    @click.group("frogml", cls=_RootGroup, context_settings=settings)
    @click.version_option(services.version, prog_name="frogml")
    @click.option("--debug", is_flag=True, envvar="JFML_DEBUG", help="Tracebacks and debug logs.")
    @click.option(
        "--verbose", is_flag=True, help="Info logs; plain progress lines, no live display."
    )
    @click.option("--quiet", "-q", is_flag=True, help="No progress display, errors only.")
    @click.option(
        "--log-format",
        type=click.Choice(LOG_FORMATS),
        default="console",
        envvar="JFML_LOG_FORMAT",
        show_default=True,
        help="How logs are written to stderr (env JFML_LOG_FORMAT).",
    )
    @network_options
    @server_option
    @require_server_option
    @click.pass_context
    def cli(
        ctx: click.Context,
        debug: bool,
        verbose: bool,
        quiet: bool,
        log_format: str,
        proxy: str | None,
        ca_bundle: str | None,
        insecure: bool,
        timeout: float | None,
        threads: int | None,
        max_in_flight: int | None,
    ) -> None:
        """Store and fetch versioned ML models and datasets in JFrog Artifactory,
        or in an embedded local store when no server is configured.

        Exit codes: 0 success, 1 network, server or integrity failure, 2 usage,
        3 authentication or permission, 4 not found or conflict, 5 configuration,
        6 local files, 130 interrupted (see the README's table).

        Example: frogml model ls ml-local
        """
        ctx.obj = services
        ctx.meta.update({"frogml.debug": debug, "frogml.verbose": verbose, "frogml.quiet": quiet})
        level = _log_level(debug=debug, verbose=verbose, quiet=quiet)
        configure_logging(level=level, log_format=log_format, debug=debug)
        remember(
            ctx,
            proxy=proxy,
            ca_bundle=ca_bundle,
            insecure=insecure,
            timeout=timeout,
            threads=threads,
            max_in_flight=max_in_flight,
        )
        if insecure:
            import warnings

            warnings.filterwarnings("ignore", message="Unverified HTTPS request")
            click.echo(INSECURE_WARNING, err=True)

    for noun in ("model", "dataset"):
        cli.add_command(entity_group(noun))
    cli.add_command(server_option(repos_command()))
    if services.collect_garbage is not None:
        cli.add_command(gc_command(services.collect_garbage))
    if services.doctor is not None:
        cli.add_command(server_option(doctor_command(services.doctor)))
    return cli
