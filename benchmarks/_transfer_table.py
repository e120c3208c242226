"""The results table of ``transfers.py``: medians, ratios, floors, peak memory, CPU."""

from __future__ import annotations

import argparse
import math
import statistics

from _transfer_support import Sample

__all__ = ["render"]

Runs = list[dict[str, Sample]]
_GIB = float(1 << 30)
IN_FLIGHT = 32  # frogml's default cap on requests in flight (JFML_MAX_IN_FLIGHT)
# The targets (speed-up over the reference in the same run), per profile. WAN (4):
# 3x where multipart upload is available, as the emulator offers it (0.95x where it is not).
TARGETS = {
    "wan": {"1": 15.0, "2": 12.0, "3": 60.0, "4": 3.0, "5": 3.8},
    "lan": dict.fromkeys("12345", 1.0),
}


def _median(runs: Runs, key: str) -> float:
    return statistics.median(run[key].seconds for run in runs)


def _cell(runs: Runs | None, key: str) -> str:
    """The median, and the fastest and slowest run when there are several."""
    if not runs:
        return "-"
    times = [run[key].seconds for run in runs]
    median = statistics.median(times)
    return f"{median:.2f}" + (f" ({min(times):.2f}-{max(times):.2f})" if len(times) > 1 else "")


def _peak_mib(runs: Runs, key: str) -> float:
    return max(run[key].peak_kib for run in runs) / 1024


def _cpu(runs: Runs, key: str) -> float:
    return statistics.median(run[key].cpu_seconds for run in runs)


def _bare(raw: Runs) -> dict[str, tuple[float, str]]:
    """What bare urllib3 (and hashlib) take for the bytes of each scenario."""
    sha_small, sha_big = _median(raw, "sha_small"), _median(raw, "sha_big")
    put_small, put_big = _median(raw, "put_small"), _median(raw, "put_big")
    get_small, get_big = _median(raw, "get_small"), _median(raw, "get_big")
    ranged = _median(raw, "get_big_ranged")
    return {
        "1": (sha_small + put_small, f"SHA-256 {sha_small:.2f} + PUTs {put_small:.2f}"),
        "2": (put_small, f"PUTs {put_small:.2f}"),
        "3": (get_small, f"GETs {get_small:.2f}"),
        "4": (sha_big + put_big, f"SHA-256 {sha_big:.2f} + PUT {put_big:.2f}"),
        "5": (min(get_big, ranged), f"GET {get_big:.2f}, 8 ranged GETs {ranged:.2f}"),
    }


def _link(args: argparse.Namespace) -> dict[str, tuple[float, str]]:
    """What the modelled WAN link allows: round trips ÷ requests in flight, bytes ÷
    bandwidth (a new connection costs its handshake once; requests run in parallel)."""
    from netem import WAN

    rtt, setup = WAN.rtt_ms / 1000, WAN.handshake_rtts
    rounds = math.ceil(args.small_files / IN_FLIGHT)
    size = args.big_mib << 20
    link, conn = size / (WAN.link_mbps * 1e6), size / (WAN.conn_mbps * 1e6)
    small_up = (setup + 2 + rounds) * rtt
    return {
        "1": (small_up, f"({setup:.0f}+2+{rounds}) RTT: handshake, start+commit, PUTs"),
        "2": (small_up, "same"),
        "3": ((setup + 1 + rounds) * rtt, f"({setup:.0f}+1+{rounds}) RTT: manifest, GETs"),
        "4": (conn + (setup + 3) * rtt, f"one PUT at {WAN.conn_mbps:.0f} MB/s {conn:.2f} s"),
        "5": (link + (setup + 2) * rtt, f"link {WAN.link_mbps:.0f} MB/s {link:.2f} s"),
    }


def _moved(args: argparse.Namespace, key: str) -> float:
    """GiB each scenario moves (for CPU seconds per GiB)."""
    small = args.small_files * args.small_kib * 1024
    return (small if key in "123" else args.big_mib << 20) / _GIB


def render(
    samples: dict[str, Runs],
    args: argparse.Namespace,
    *,
    profile: str,
    started: str,
    ref_version: str,
) -> str:
    """A Markdown table: one row per scenario."""
    from transfers import SCENARIOS

    ours, ref, raw = samples.get("ours"), samples.get("ref"), samples["raw"]
    bare = _bare(raw)
    link = _link(args) if profile == "wan" else None
    threads = f"pinned to {args.threads}" if args.threads else f"adaptive, at most {IN_FLIGHT}"
    lines = [
        f"{started}, {profile.upper()} profile: {len(raw)} run(s), medians "
        "(fastest-slowest run); "
        f"{args.small_files} files of {args.small_kib} KiB, one file of {args.big_mib} MiB; "
        f"frogml transfers {threads}; reference frogml=={ref_version} (its default "
        f"5 threads); bare urllib3 with {IN_FLIGHT} in flight.",
        "",
        "| scenario | reference s | frogml s | speed-up (target) | bare urllib3 s "
        "| link floor s | frogml / floor | peak RSS ref / frogml MiB "
        "| CPU s/GiB ref / frogml |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, label in SCENARIOS.items():
        label = label.replace("500 ×", f"{args.small_files:,} ×").replace(
            "4 KiB", f"{args.small_kib} KiB"
        )
        label = label.replace("256 MiB", f"{args.big_mib} MiB")
        mine = _median(ours, key) if ours else math.nan
        theirs = _median(ref, key) if ref else math.nan
        bare_s, bare_how = bare[key]
        floor = max(bare_s, link[key][0]) if link else bare_s
        link_cell = f"{link[key][0]:.2f} ({link[key][1]})" if link else "-"
        peak = " / ".join(f"{_peak_mib(r, key):.0f}" if r else "-" for r in (ref, ours))
        gib = _moved(args, key)
        cpu = " / ".join(f"{_cpu(r, key) / gib:.1f}" if r else "-" for r in (ref, ours))
        target = TARGETS[profile][key]
        lines.append(
            f"| ({key}) {label} | {_cell(ref, key)} | {_cell(ours, key)} | {theirs / mine:.1f}× "
            f"(≥ {target:g}×) | {bare_s:.2f} ({bare_how}) | {link_cell} "
            f"| {mine / floor:.2f}× | {peak} | {cpu} |"
        )
    return "\n".join(lines)
