"""The ``frogml`` console script: builds the CLI with the library behind it."""

from __future__ import annotations

from adapters.cli import CliServices, StorageApi, build_cli

__all__ = ["main"]


def _make_storage() -> StorageApi:
    from frogml._storage import FrogMLStorage

    return FrogMLStorage()


def main() -> None:
    """Entry point of the ``frogml`` command."""
    from frogml import __version__

    build_cli(CliServices(make_storage=_make_storage, version=__version__))(prog_name="frogml")
