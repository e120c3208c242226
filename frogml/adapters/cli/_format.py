"""Plain-text rendering helpers: sizes and aligned tables (no colours, no width tricks,
so the output reads the same in a dumb terminal, a pipe or a log)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

import rich_click as click

from frogml.adapters.cli._terminal import shown

__all__ = ["human_size", "iso_time", "print_table"]


def human_size(size: int) -> str:
    """``1536`` -> ``1.5 KiB``."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def iso_time(moment: datetime) -> str:
    """A time as every command shows it: ISO 8601 in UTC, with its zone
    (``2026-11-30T00:50:21.360000+00:00``); a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat()


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Columns padded to their widest cell, a header line, then one line per row;
    cells may hold outside text, so each is shown through :func:`shown`."""
    rows = [[shown(cell) for cell in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    click.echo(line([h.upper() for h in headers]))
    for row in rows:
        click.echo(line(row))
