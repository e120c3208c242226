"""The root's network options, as one typed value the adapters receive.

The Artifactory adapter reads ``JFML_TIMEOUT``, ``JFML_THREAD_COUNT``,
``JFML_MAX_IN_FLIGHT``, the proxy and
CA-bundle variables and ``JFML_INSECURE``; an option given on the command line
overrides the variable for this run only (see :func:`current_settings`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import rich_click as click

if TYPE_CHECKING:
    from frogml.domain.model.settings import TransferSettings

__all__ = [
    "INSECURE_WARNING",
    "current_settings",
    "network_options",
    "remember",
]

F = TypeVar("F", bound=Callable[..., Any])

INSECURE_WARNING = (
    "Warning: TLS certificate verification is off (--insecure / JFML_INSECURE): anyone "
    "on the network path can read and change the traffic, credentials included. "
    "Prefer --ca-bundle."
)
_META = "frogml.env"


def network_options(func: F) -> F:
    """``--proxy``, ``--ca-bundle``, ``--insecure``, ``--timeout``, ``--threads``,
    ``--max-in-flight``."""
    options = [
        click.option(
            "--max-in-flight",
            type=click.IntRange(1, 64),
            default=None,
            metavar="N",
            help=(
                "Most requests in flight at once, files and byte ranges together; "
                "transfers adapt up to it (env JFML_MAX_IN_FLIGHT; default 32)."
            ),
        ),
        click.option(
            "--threads",
            type=click.IntRange(1, 64),
            default=None,
            help=(
                "Parallel file transfers, exactly this many: no adapting "
                "(env JFML_THREAD_COUNT; default: adaptive, from 8)."
            ),
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=None,
            metavar="SECONDS",
            help=(
                "Seconds to wait for a connection and for an answer to begin "
                "(env JFML_TIMEOUT; default 300)."
            ),
        ),
        click.option(
            "--insecure",
            is_flag=True,
            envvar="JFML_INSECURE",
            help="Do not verify TLS certificates (env JFML_INSECURE=true). Unsafe.",
        ),
        click.option(
            "--ca-bundle",
            type=click.Path(exists=True, dir_okay=False),
            default=None,
            help="CA certificates to trust, PEM (env REQUESTS_CA_BUNDLE, else SSL_CERT_FILE).",
        ),
        click.option(
            "--proxy",
            default=None,
            metavar="URL",
            help="HTTP(S) proxy, e.g. http://proxy:3128 (env HTTPS_PROXY, HTTP_PROXY).",
        ),
    ]
    for option in options:
        func = option(func)
    return func


def remember(ctx: click.Context, **options: Any) -> None:
    """Keep this run's network options; :func:`current_settings` types them when a
    command needs them (so ``--help`` loads no domain value)."""
    ctx.meta[_META] = options


def current_settings() -> TransferSettings:
    """This run's network options as one typed value; defaults outside a command."""
    from frogml.domain.model.settings import TransferSettings

    ctx = click.get_current_context(silent=True)
    options: dict[str, Any] = {} if ctx is None else ctx.meta.get(_META, {})
    ca_bundle = options.get("ca_bundle")
    return TransferSettings(
        proxy=options.get("proxy") or None,
        ca_bundle=os.path.abspath(ca_bundle) if ca_bundle else None,
        insecure=bool(options.get("insecure")),
        timeout=options.get("timeout"),
        threads=options.get("threads"),
        max_in_flight=options.get("max_in_flight"),
    )
