"""Logging, configured once by the CLI (the library never configures it).

The library logs through ``frogml.adapters.logs`` into the standard-library logger
``frogml``, with the event and its key-values in ``record.frogml``. This handler
renders them with structlog: its console renderer (colours only on a terminal, never
with ``NO_COLOR``) or JSON lines (``--log-format json`` / ``JFML_LOG_FORMAT=json``).
structlog is imported on the first record, so quiet runs never load it.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime, timezone
from typing import Any

from frogml.adapters.cli._terminal import shown

__all__ = ["LOG_FORMATS", "configure_logging", "use_colors"]

LOG_FORMATS = ("console", "json")
_MARK = "_frogml_cli_handler"
_TOLD_IN_WORDS = frozenset({"embedded_store_used"})  # the CLI prints its own notice


def _not_told_in_words(record: logging.LogRecord) -> bool:
    carried = getattr(record, "frogml", None)
    return not (isinstance(carried, dict) and carried.get("event") in _TOLD_IN_WORDS)


def use_colors(stream: Any, *, terminal: bool = False) -> bool:
    """Colours only on a terminal that can show them, and never with ``NO_COLOR`` or
    ``TERM=dumb``; ``terminal=True`` asks about the environment alone."""
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    if terminal:
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class _EventFormatter(logging.Formatter):
    """Renders one record's structured event with structlog."""

    def __init__(self, *, as_json: bool, colors: bool, tracebacks: bool) -> None:
        super().__init__()
        self._as_json = as_json
        self._colors = colors
        self._tracebacks = tracebacks
        self._renderer: Any = None

    def _render(self, event: dict[str, Any]) -> str:
        if self._renderer is None:
            import structlog

            self._renderer = (
                # compact and UTF-8, as every --json document
                structlog.processors.JSONRenderer(separators=(",", ":"), ensure_ascii=False)
                if self._as_json
                # plain tracebacks: rich's would print local variables, secrets included
                else structlog.dev.ConsoleRenderer(
                    colors=self._colors, exception_formatter=structlog.dev.plain_traceback
                )
            )
        if self._as_json and "exc_info" in event:
            import structlog

            event = dict(structlog.processors.format_exc_info(None, "", event))
        return str(self._renderer(None, event.get("level", ""), event))

    def format(self, record: logging.LogRecord) -> str:
        carried = getattr(record, "frogml", None)
        event: dict[str, Any] = (
            dict(carried) if isinstance(carried, dict) else {"event": record.getMessage()}
        )
        level = record.levelname.lower()
        if self._as_json:
            stamp = datetime.fromtimestamp(record.created, tz=timezone.utc)
            event = {"timestamp": stamp.isoformat(), "level": level, **event}
            event["logger"] = record.name
        else:  # a terminal's lines: outside text (paths, server words) shown escaped
            event = {"level": level, **{k: _shown_value(v) for k, v in event.items()}}
        if record.exc_info and self._tracebacks:
            event["exc_info"] = record.exc_info
        return self._render(event)


def _shown_value(value: Any) -> Any:
    return shown(value, limit=None) if isinstance(value, str) else value


def configure_logging(*, level: int, log_format: str, debug: bool) -> None:
    """Send the ``frogml`` logger's records at ``level`` and above to stderr, rendered."""
    logger = logging.getLogger("frogml")
    for handler in list(logger.handlers):
        if getattr(handler, _MARK, False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    setattr(handler, _MARK, True)
    handler.addFilter(_not_told_in_words)
    handler.setFormatter(
        _EventFormatter(
            as_json=log_format == "json", colors=use_colors(sys.stderr), tracebacks=debug
        )
    )
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
