"""The base of every domain value: frozen, keyword-only msgspec Structs."""

from __future__ import annotations

import msgspec

__all__ = ["Value"]


class Value(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=False):
    """A frozen domain value; change one with ``msgspec.structs.replace``."""
