"""Reading configuration JSON by hand, so that messages are in plain words.

Unknown keys are left to the caller (kept or ignored, never an error); a value of the
wrong type is a :class:`ShapeError` saying where it is, as ``servers[0].user must be
text`` — never a decoder's ``Expected `str | null`, got `int` - at `$...```.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

__all__ = ["NotJsonError", "ShapeError", "as_object", "flag", "items", "parse", "text"]


class NotJsonError(ValueError):
    """The bytes are not JSON at all (empty, truncated, binary or encrypted)."""


class ShapeError(ValueError):
    """Well-formed JSON with a value of the wrong type; the message says which, where."""


def parse(data: bytes) -> object:
    """The JSON value held in ``data``."""
    try:
        return msgspec.json.decode(data)
    except msgspec.DecodeError as exc:
        raise NotJsonError(str(exc)) from exc


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def as_object(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ShapeError(f"{where or 'the top level'} must be a JSON object")
    return value


def items(record: Mapping[str, object], key: str, where: str = "") -> list[object]:
    """The list under ``key``; absent or null is an empty list."""
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ShapeError(f"{_at(where, key)} must be a list")
    return value


def text(record: Mapping[str, object], key: str, where: str) -> str | None:
    """The text under ``key``; absent or null is None."""
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise ShapeError(f"{_at(where, key)} must be text")
    return value


def flag(record: Mapping[str, object], key: str, where: str) -> bool:
    """The true/false under ``key``; absent or null is false."""
    value = record.get(key)
    if value is not None and not isinstance(value, bool):
        raise ShapeError(f"{_at(where, key)} must be true or false")
    return bool(value)
