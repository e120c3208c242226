"""``frogml doctor``: checks the configuration, server, TLS, credentials and clock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import rich_click as click

from frogml.adapters.cli._common import json_option
from frogml.adapters.cli._errors import EXIT_FAILURE
from frogml.adapters.cli._format import print_table

if TYPE_CHECKING:
    from frogml.domain.model.health import HealthCheck

__all__ = ["doctor_command"]


def doctor_command(run: Callable[[], Sequence[HealthCheck]]) -> click.Command:
    """The command, running the checks the composition root injects."""

    @click.command("doctor")
    @json_option
    @click.pass_context
    def doctor(ctx: click.Context, as_json: bool) -> None:
        """Check that frogml can work here: configuration, server reachability, TLS,
        credentials and clock skew (or, with no server, the embedded store's folder).

        Prints a verdict per check (ok, warn, fail); exits 1 when any check fails.

        Example: frogml doctor --json
        """
        checks = list(run())
        failed = any(c.verdict == "fail" for c in checks)
        if as_json:
            from frogml.adapters.cli._output import doctor_json, emit_json

            emit_json(doctor_json(checks))
        else:
            print_table(
                ["check", "verdict", "detail"], [[c.name, c.verdict, c.detail] for c in checks]
            )
            warned = any(c.verdict == "warn" for c in checks)
            click.echo(
                "Some checks failed."
                if failed
                else "All checks passed, with warnings."
                if warned
                else "All checks passed."
            )
        if failed:
            ctx.exit(EXIT_FAILURE)

    return doctor
