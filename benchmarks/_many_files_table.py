"""The tables of ``many_files.py``: time per file against the floor and against the
smallest size, peak RSS and open files; then the listings."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from _many_files_support import Sample

__all__ = ["Row", "render"]

TRANSFERS = ("copy", "upload", "download")
CLIENTS = {"floor": "copy + fsync", "ours": "frogml", "ref": "JFrog's client"}


@dataclass(frozen=True)
class Row:
    """One measured operation and where it ran."""

    store: str
    client: str
    op: str
    files: int
    sample: Sample
    server_cpu: float | None = None


Key = tuple[str, str, str, int]


def _groups(rows: list[Row]) -> dict[Key, list[Row]]:
    groups: dict[Key, list[Row]] = {}
    for row in rows:
        groups.setdefault((row.store, row.client, row.op, row.files), []).append(row)
    return groups


def _seconds(rows: list[Row]) -> float:
    return statistics.median(r.sample.seconds for r in rows)


def _cpu(rows: list[Row]) -> str:
    known = [r.server_cpu for r in rows if r.server_cpu is not None]
    return f"{statistics.median(known):.1f}" if known else ""


def _transfers(groups: dict[Key, list[Row]]) -> list[str]:
    lines = [
        "| files | store | client | operation | seconds | ms per file | × floor | × smallest "
        "| peak RSS (MiB) | peak open files | server CPU (s) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    smallest: dict[tuple[str, str, str], float] = {}
    keys = sorted(
        (k for k in groups if k[2] in TRANSFERS), key=lambda k: (k[3], k[0] != "filesystem")
    )
    for key in keys:
        store, client, op, files = key
        runs = groups[key]
        per_file = _seconds(runs) / files * 1000
        floor = groups.get(("filesystem", "floor", "copy", files))
        vs_floor = per_file / (_seconds(floor) / files * 1000) if floor else float("nan")
        first = smallest.setdefault((store, client, op), per_file)
        lines.append(
            f"| {files:,} | {store} | {CLIENTS[client]} | {op} | {_seconds(runs):.2f} "
            f"| {per_file:.3f} | {vs_floor:.2f} | {per_file / first:.2f} "
            f"| {max(r.sample.peak_kib for r in runs) / 1024:.0f} "
            f"| {max(r.sample.peak_fds for r in runs)} | {_cpu(runs)} |"
        )
    return lines


def _listings(groups: dict[Key, list[Row]]) -> list[str]:
    lines = [
        "| store | operation | of | seconds | peak RSS (MiB) | server CPU (s) |",
        "|---|---|---|---|---|---|",
    ]
    for key in sorted(k for k in groups if k[2] not in TRANSFERS):
        store, _client, op, count = key
        runs = groups[key]
        what = f"{count:,} one-file versions" if _is_versions(groups, key) else f"{count:,} files"
        lines.append(
            f"| {store} | {op} | {what} | {_seconds(runs):.3f} "
            f"| {max(r.sample.peak_kib for r in runs) / 1024:.0f} | {_cpu(runs)} |"
        )
    return lines


def _is_versions(groups: dict[Key, list[Row]], key: Key) -> bool:
    store, client, _op, count = key
    return (store, client, "publish-many", count) in groups


def render(rows: list[Row], *, started: str) -> str:
    """Both tables, in Markdown."""
    groups = _groups(rows)
    return "\n".join([f"Started {started}.", "", *_transfers(groups), "", *_listings(groups)])
