"""The root's network options, turned into the environment the adapters read.

The Artifactory settings read ``JFML_TIMEOUT``, ``JFML_THREAD_COUNT``, the proxy and
CA-bundle variables and ``JFML_INSECURE``; an option given on the command line
overrides the variable for this run only (see :func:`frogml.adapters.cli.current_env`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import rich_click as click

__all__ = ["INSECURE_WARNING", "current_env", "network_options", "overlay_of"]

F = TypeVar("F", bound=Callable[..., Any])

INSECURE_WARNING = (
    "Warning: TLS certificate verification is off (--insecure / JFML_INSECURE): anyone "
    "on the network path can read and change the traffic, credentials included. "
    "Prefer --ca-bundle."
)
_META = "frogml.env"


def network_options(func: F) -> F:
    """``--proxy``, ``--ca-bundle``, ``--insecure``, ``--timeout``, ``--threads``."""
    options = [
        click.option(
            "--threads",
            type=click.IntRange(1, 64),
            default=None,
            help="Parallel transfers (env JFML_THREAD_COUNT; default 8).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            default=None,
            metavar="SECONDS",
            help="Network timeout in seconds (env JFML_TIMEOUT).",
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
            help="CA certificates to trust, PEM (env REQUESTS_CA_BUNDLE, SSL_CERT_FILE).",
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


def overlay_of(
    *,
    proxy: str | None,
    ca_bundle: str | None,
    insecure: bool,
    timeout: float | None,
    threads: int | None,
) -> dict[str, str]:
    """The environment variables the given options stand for."""
    overlay: dict[str, str] = {}
    if proxy:
        for name in ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"):
            overlay[name] = proxy
    if ca_bundle:
        overlay["REQUESTS_CA_BUNDLE"] = os.path.abspath(ca_bundle)
    if insecure:
        overlay["JFML_INSECURE"] = "true"
    if timeout is not None:
        overlay["JFML_TIMEOUT"] = repr(timeout)
    if threads is not None:
        overlay["JFML_THREAD_COUNT"] = str(threads)
    return overlay


def remember(ctx: click.Context, overlay: Mapping[str, str]) -> None:
    ctx.meta[_META] = dict(overlay)


def current_env() -> Mapping[str, str]:
    """``os.environ`` with what this run's network options override."""
    ctx = click.get_current_context(silent=True)
    overlay: Mapping[str, str] = {} if ctx is None else ctx.meta.get(_META, {})
    return {**os.environ, **overlay}
