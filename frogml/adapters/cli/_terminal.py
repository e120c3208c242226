"""The one gate between outside text and the terminal.

Names, formats, properties and messages may come from a server or a manifest. On a
terminal their control and bidi characters become visible escapes (``\\x1b``,
``\\u202e``) and long text is cut with ``…`` (:func:`frogml.domain.model.visible.visible`);
``--json`` output keeps the exact values. Every human line that can hold such text
goes through :func:`shown` (one field) or :func:`shown_line` (a whole error line).
The domain module is imported on first use, so ``frogml --help`` loads no domain value.
"""

from __future__ import annotations

import re

__all__ = ["FIELD_LENGTH", "LINE_LENGTH", "shown", "shown_line"]

FIELD_LENGTH = 200  # one field, at most (the domain's SHOWN_LENGTH)
LINE_LENGTH = 1000  # an error line, at most
_LONG_WORD = re.compile(rf"\S{{{FIELD_LENGTH + 1},}}")


def shown(text: object, *, limit: int | None = FIELD_LENGTH) -> str:
    """One field (a file name, a format, a property value) as it may be shown."""
    from frogml.domain.model.visible import visible

    return visible(str(text), limit=limit)


def shown_line(text: str) -> str:
    """A line of our words around outside text (an error message): everything escaped,
    every word (a name, a URL) longer than 200 characters cut, the line at 1,000."""
    escaped = shown(text, limit=None)
    cut = _LONG_WORD.sub(lambda m: m[0][:FIELD_LENGTH] + "…", escaped)
    return cut if len(cut) <= LINE_LENGTH else cut[:LINE_LENGTH] + "…"
