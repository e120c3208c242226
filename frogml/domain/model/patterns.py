"""Which files a transfer takes: ``--include``/``--exclude`` and ``.frogmlignore`` rules.

Patterns follow gitignore: ``*`` and ``?`` never cross ``/``; ``[...]`` is a class;
``**`` spans folders (``**/x``, ``x/**``, ``a/**/b``); a leading or inner ``/`` anchors
the pattern at the top of the source, otherwise it matches at any depth; a trailing
``/`` matches folders only; ``!`` re-includes; ``#`` starts a comment; ``\\`` escapes.
A folder that is excluded takes everything below it along, as in git. A
``.frogmlignore`` in a sub-folder applies below that folder, as a nested ``.gitignore``
does: its anchored patterns start at its folder, and its lines win over those above.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from frogml.domain.errors import ValidationError

__all__ = ["IGNORE_FILE", "PathRules", "Pattern", "PatternList", "literal_pattern"]

IGNORE_FILE = ".frogmlignore"


@dataclass(frozen=True)
class Pattern:
    """One compiled gitignore line."""

    text: str
    regex: re.Pattern[str]
    negated: bool
    folders_only: bool
    base: str = ""
    """The folder of the ignore file the line comes from ("" for the top)."""

    @classmethod
    def parse(cls, line: str, *, base: str = "") -> Pattern | None:
        """The pattern of one line (of the ignore file of folder ``base``), or None for
        a blank line or a comment."""
        text = _strip_trailing_blanks(line.rstrip("\n\r"))
        if not text or text.startswith("#"):
            return None
        negated = text.startswith("!")
        if negated or text.startswith(("\\!", "\\#")):
            text = text[1:]
        folders_only = text.endswith("/")
        body = text.rstrip("/")
        if not body:
            return None
        anchored = "/" in body
        body = body.lstrip("/")
        prefix = "" if anchored or body.startswith("**/") else "(?:.*/)?"
        try:
            regex = re.compile(f"^{prefix}{_translate(body)}$", re.DOTALL)
        except re.error as exc:
            raise ValidationError(f"invalid pattern {line!r}: {exc}", field="pattern") from exc
        return cls(text=line, regex=regex, negated=negated, folders_only=folders_only, base=base)

    def matches(self, path: str, *, is_folder: bool) -> bool:
        if self.base:
            if not path.startswith(self.base + "/"):
                return False
            path = path[len(self.base) + 1 :]
        return (is_folder or not self.folders_only) and self.regex.match(path) is not None


def _strip_trailing_blanks(text: str) -> str:
    stripped = text.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(text):
        return stripped + " "  # an escaped blank is kept
    return stripped


def _translate(body: str) -> str:
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        char = body[i]
        if body.startswith("**", i):
            before_ok = i == 0 or body[i - 1] == "/"
            after = body[i + 2 : i + 3]
            if before_ok and after == "/":
                out.append("(?:.*/)?")
                i += 3
                continue
            if before_ok and i + 2 == n:
                out.append(".*")
                i += 2
                continue
            out.append("[^/]*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            i = _translate_class(body, i, out)
        elif char == "\\" and i + 1 < n:
            out.append(re.escape(body[i + 1]))
            i += 2
        else:
            out.append(re.escape(char))
            i += 1
    return "".join(out)


def _translate_class(body: str, start: int, out: list[str]) -> int:
    end = start + 1
    if end < len(body) and body[end] in "!^":
        end += 1
    if end < len(body) and body[end] == "]":
        end += 1
    while end < len(body) and body[end] != "]":
        end += 1
    if end >= len(body):  # no closing bracket: a literal "["
        out.append(re.escape("["))
        return start + 1
    inner = body[start + 1 : end]
    negate = inner[:1] in ("!", "^")
    inner = inner[1:] if negate else inner
    inner = inner.replace("\\", "\\\\").replace("[", "\\[")
    out.append(f"[^/{inner}]" if negate else f"(?!/)[{inner}]")
    return end + 1


@dataclass(frozen=True)
class PatternList:
    """Ordered patterns where the last match wins, as in one gitignore file."""

    patterns: tuple[Pattern, ...] = ()

    @classmethod
    def parse(cls, lines: Iterable[str]) -> PatternList:
        return cls(tuple(p for line in lines if (p := Pattern.parse(line)) is not None))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def decides(self, path: str, *, is_folder: bool) -> bool | None:
        """True (matched), False (re-included by ``!``) or None (no pattern matched)."""
        verdict: bool | None = None
        for pattern in self.patterns:
            if pattern.matches(path, is_folder=is_folder):
                verdict = not pattern.negated
        return verdict

    def covers(self, rel_path: str) -> bool:
        """True when the file ``rel_path`` or one of its folders is matched."""
        if not self.patterns:
            return False  # no folder to build: a very deep path costs nothing here
        parts = rel_path.split("/")
        for end in range(1, len(parts)):
            if self.decides("/".join(parts[:end]), is_folder=True):
                return True
        return bool(self.decides(rel_path, is_folder=False))


@dataclass(frozen=True)
class PathRules:
    """Which relative paths a transfer takes.

    Rules: a path is skipped when the ignore file or ``exclude`` covers it (``exclude``
    comes last, so its ``!`` lines can re-include what the ignore file left out); when
    ``include`` is given, a path must also be covered by one of its patterns.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    ignore_file: tuple[str, ...] = ()
    nested: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """``(folder, lines)`` of the ``.frogmlignore`` files of sub-folders, outer first."""
    _included: PatternList = field(init=False, repr=False, compare=False)
    _excluded: PatternList = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_included", PatternList.parse(self.include))
        nested = (
            pattern
            for folder, lines in self.nested
            for line in lines
            if (pattern := Pattern.parse(line, base=folder)) is not None
        )
        excluded = PatternList(
            (
                *PatternList.parse(self.ignore_file).patterns,
                *nested,
                *PatternList.parse(self.exclude).patterns,
            )
        )
        object.__setattr__(self, "_excluded", excluded)

    def with_ignore_file(self, lines: Sequence[str]) -> PathRules:
        """The same rules, with the lines of the top folder's ``.frogmlignore`` file."""
        return PathRules(
            include=self.include, exclude=self.exclude, ignore_file=tuple(lines), nested=self.nested
        )

    def with_nested_ignore_file(self, folder: str, lines: Sequence[str]) -> PathRules:
        """The same rules, with the lines of ``folder/.frogmlignore`` (applying below
        ``folder``, winning over the files above it; ``exclude`` still comes last)."""
        return PathRules(
            include=self.include,
            exclude=self.exclude,
            ignore_file=self.ignore_file,
            nested=(*self.nested, (folder, tuple(lines))),
        )

    def prunes(self, rel_folder: str) -> bool:
        """True when the folder ``rel_folder`` is excluded, with everything below it."""
        parts = rel_folder.split("/")
        return any(
            self._excluded.decides("/".join(parts[:end]), is_folder=True)
            for end in range(1, len(parts) + 1)
        )

    def reason_to_skip(self, rel_path: str) -> str | None:
        """Why the file ``rel_path`` is left out (``excluded``, ``not included``), or None."""
        if self._excluded.covers(rel_path):
            return "excluded"
        if self._included and not self._included.covers(rel_path):
            return "not included"
        return None

    def takes(self, rel_path: str) -> bool:
        """True when the file ``rel_path`` is transferred."""
        return self.reason_to_skip(rel_path) is None


_SPECIAL = frozenset("*?[\\")


def literal_pattern(rel_path: str) -> str:
    """A pattern matching exactly the file ``rel_path`` (anchored at the top, its
    wildcards and trailing blanks escaped): what to exclude to leave out that one file."""
    escaped = "".join(f"\\{ch}" if ch in _SPECIAL else ch for ch in rel_path)
    body = escaped.rstrip(" ")
    return "/" + body + "\\ " * (len(escaped) - len(body))
