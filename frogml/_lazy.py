"""Names a package serves on first use: a module ``__getattr__`` over a table of
``name -> module``, so that importing the package imports none of them (the CLI's
start-up pays only for what a command uses)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, table: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` serving ``table``'s names; a
    name is imported once, then kept in the package's namespace.

    Assign them under ``if not TYPE_CHECKING:``: a module ``__getattr__`` would make
    any name (a typo too) an ``Any`` for type checkers, which see the names through the
    package's TYPE_CHECKING imports instead."""
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted([*namespace, *table])

    return __getattr__, __dir__
