"""The library's logger: structlog over the standard library's ``frogml`` logger.

The library never configures logging, and emits nothing unless the application does:
``frogml`` has a NullHandler (so Python's last-resort handler stays silent) and
structlog itself is never configured. Events go to ``logging.getLogger("frogml")`` with
their key-values both rendered into the message (for an application's own handlers)
and attached as ``extra["frogml"]`` so the CLI's formatter can render them as JSON.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

import structlog

__all__ = ["get_logger"]


def _to_stdlib(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    event = str(event_dict.pop("event", ""))
    context = dict(event_dict)
    rendered = " ".join([event, *(f"{key}={value!r}" for key, value in context.items())])
    return (rendered,), {"extra": {"frogml": {"event": event, **context}}}


def get_logger(name: str = "frogml") -> structlog.stdlib.BoundLogger:
    """A structlog logger writing to the standard-library logger ``name``."""
    return structlog.wrap_logger(  # type: ignore[no-any-return]
        logging.getLogger(name),
        processors=[structlog.stdlib.filter_by_level, _to_stdlib],
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
