"""Text from elsewhere (a server, a manifest, a file name) made safe to show a person.

A terminal obeys control characters: ESC sequences clear the screen, move the cursor,
fake a line of output or set the window title; bidi overrides reverse what follows
(``report\u202etxt.exe``). Such characters are replaced by visible escapes in Python's
style (``\\x1b``, ``\\u202e``), so the text stays readable and nothing is hidden, and
long text is cut with an ellipsis. Programs that read JSON get the exact values.
"""

from __future__ import annotations

import unicodedata

__all__ = ["SHOWN_LENGTH", "visible"]

SHOWN_LENGTH = 200
# Controls, formats (bidi overrides, zero-width characters), line and paragraph
# separators, lone surrogates (undecodable bytes of a file name), unassigned points.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: str, *, limit: int | None = SHOWN_LENGTH) -> str:
    """``text`` with every control, format or separator character shown as an escape,
    and, when longer than ``limit`` characters (escapes counted), cut there with ``…``."""
    if text.isprintable() and (limit is None or len(text) <= limit):
        return text  # nothing to escape or cut: the usual case, at C speed
    out: list[str] = []
    length = 0
    for ch in text:
        shown = _escape(ch) if unicodedata.category(ch) in _HIDDEN else ch
        if limit is not None and length + len(shown) > limit:
            out.append("…")
            break
        out.append(shown)
        length += len(shown)
    return "".join(out)
