"""The results table of ``transfers.py``: medians, ratios, raw limits, peak memory."""

from __future__ import annotations

import argparse
import statistics

from _transfer_support import Sample

__all__ = ["render"]

Runs = list[dict[str, Sample]]


def _median(runs: Runs, key: str) -> float:
    return statistics.median(run[key].seconds for run in runs)


def _peak_mib(runs: Runs, key: str) -> float:
    return max(run[key].peak_kib for run in runs) / 1024


def _limits(raw: Runs) -> dict[str, tuple[float, str]]:
    """The raw limit of each scenario and how it is made up."""
    sha_small, sha_big = _median(raw, "sha_small"), _median(raw, "sha_big")
    put_small, put_big = _median(raw, "put_small"), _median(raw, "put_big")
    get_small, get_big = _median(raw, "get_small"), _median(raw, "get_big")
    limits = {
        "1": (sha_small + put_small, f"SHA-256 {sha_small:.2f} + PUTs {put_small:.2f}"),
        "2": (get_small, f"GETs {get_small:.2f}"),
        "3": (put_small, f"PUTs {put_small:.2f} (hashes cached)"),
        "4": (sha_big + put_big, f"SHA-256 {sha_big:.2f} + PUT {put_big:.2f}"),
        "5": (get_big, f"GET {get_big:.2f}"),
    }
    if "get_big_ranged" in raw[0]:
        ranged = _median(raw, "get_big_ranged")
        best = min(get_big, ranged)
        limits["5"] = (best, f"GET {get_big:.2f}, ranged GETs {ranged:.2f}")
    return limits


def render(
    samples: dict[str, Runs], args: argparse.Namespace, *, started: str, ref_version: str
) -> str:
    """A Markdown table: one row per scenario."""
    from transfers import SCENARIOS

    ours, ref, raw = samples.get("ours"), samples.get("ref"), samples["raw"]
    limits = _limits(raw)
    lines = [
        f"{started}, {getattr(args, 'profile', 'lan').upper()} profile: {args.runs} run(s), "
        f"medians; {args.small_files} files of "
        f"{args.small_kib} KiB, one file of {args.big_mib} MiB; frogml threads "
        f"{args.threads}, reference frogml=={ref_version} (its default 5 threads).",
        "",
        "| scenario | reference s | frogml s | speed-up vs reference | raw limit s "
        "| frogml / limit | peak RSS ref / frogml MiB |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, label in SCENARIOS.items():
        label = label.replace("1000", f"{args.small_files:,}").replace(
            "4 KiB", f"{args.small_kib} KiB"
        )
        label = label.replace("512 MiB", f"{args.big_mib} MiB")
        limit, parts = limits[key]
        mine = _median(ours, key) if ours else float("nan")
        theirs = _median(ref, key) if ref else float("nan")
        peak_ref = f"{_peak_mib(ref, key):.0f}" if ref else "-"
        peak_ours = f"{_peak_mib(ours, key):.0f}" if ours else "-"
        lines.append(
            f"| ({key}) {label} | {theirs:.2f} | {mine:.2f} | {theirs / mine:.1f}× "
            f"| {limit:.2f} ({parts}) | {mine / limit:.2f}× | {peak_ref} / {peak_ours} |"
        )
    return "\n".join(lines)
