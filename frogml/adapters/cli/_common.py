"""Options and helpers shared by the command groups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import rich_click as click

from frogml.adapters.cli._api import CliServices, StorageApi
from frogml.adapters.cli._local_store import announce_fallback

__all__ = [
    "dry_run_option",
    "exclude_option",
    "force_option",
    "include_option",
    "json_option",
    "namespace_option",
    "parse_properties",
    "pass_storage",
    "progress_mode",
    "properties_option",
    "quiet_option",
    "services_from",
    "verbose_option",
    "version_option",
]

F = TypeVar("F", bound=Callable[..., Any])

namespace_option = click.option(
    "--namespace", "-n", default=None, help="Namespace of the entity (e.g. a team)."
)
json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document on stdout (see README)."
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="Show no progress display.")
verbose_option = click.option(
    "--verbose", is_flag=True, help="Print plain progress lines instead of a live display."
)
dry_run_option = click.option(
    "--dry-run",
    is_flag=True,
    help="Show the plan (files, bytes, what is skipped or reused); transfer nothing.",
)
force_option = click.option(
    "--force",
    is_flag=True,
    help="Replace files in TARGET whose content differs from the version (and a file or "
    "empty folder in the way); without it the download refuses, writing nothing.",
)
include_option = click.option(
    "--include",
    "include",
    multiple=True,
    metavar="PATTERN",
    help="Only files matching this gitignore-style pattern; repeat for more.",
)
exclude_option = click.option(
    "--exclude",
    "exclude",
    multiple=True,
    metavar="PATTERN",
    help="Leave out files matching this gitignore-style pattern; repeat for more.",
)
version_option = click.option(
    "--version",
    "-v",
    "version",
    default=None,
    help="Version to publish (default: the UTC upload time, yyyy-MM-dd-HH-mm-ss).",
)
properties_option = click.option(
    "--property",
    "-p",
    "properties",
    multiple=True,
    metavar="KEY=VALUE",
    help="A property of the version; repeat for more.",
)


def parse_properties(values: tuple[str, ...]) -> dict[str, str]:
    """``("a=1", "b=2")`` -> ``{"a": "1", "b": "2"}``; a malformed pair is a usage error."""
    parsed: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", param_hint="--property")
        parsed[key] = value
    return parsed


def progress_mode(*, quiet: bool, verbose: bool, as_json: bool) -> tuple[bool, bool]:
    """(quiet, verbose) for a transfer, merging the root's ``--quiet``/``--verbose``.

    ``--json`` keeps stdout for the document and draws no live display, but
    ``--verbose`` lines still go to stderr.
    """
    ctx = click.get_current_context()
    assert ctx is not None
    meta = ctx.meta
    verbose = verbose or bool(meta.get("frogml.verbose"))
    quiet = quiet or bool(meta.get("frogml.quiet"))
    return quiet or (as_json and not verbose), verbose and not quiet


def services_from(ctx: click.Context) -> CliServices:
    services = ctx.find_object(CliServices)
    assert services is not None, "the CLI runs without its services"
    return services


def storage_from(ctx: click.Context) -> StorageApi:
    """Build the library facade once per invocation, from the injected services, and
    say so when it is the embedded store because no server is configured."""
    storage = services_from(ctx).make_storage()
    announce_fallback(ctx, getattr(storage, "fallback_store", None))
    return storage


class _LazyStorage:
    """The facade, built when the command first uses it: a mistake in the command's
    own arguments is reported alone, before any store is chosen or announced."""

    def __init__(self, ctx: click.Context) -> None:
        self._ctx = ctx
        self._built: StorageApi | None = None

    def __getattr__(self, name: str) -> Any:
        if self._built is None:
            self._built = storage_from(self._ctx)
        return getattr(self._built, name)


def pass_storage(func: F) -> F:
    """Inject the ``storage`` facade (built on first use) as a command's first argument."""

    @click.pass_context
    def wrapper(ctx: click.Context, /, *args: Any, **kwargs: Any) -> Any:
        return func(cast(StorageApi, _LazyStorage(ctx)), *args, **kwargs)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]
