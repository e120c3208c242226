"""frogml against JFrog's reference client (PyPI ``frogml==2.1.152``) over the emulator,
on a LAN profile (loopback as it is) and a WAN profile (``benchmarks/netem.py``).

Scenarios: (1) upload a folder of 500 files of 4 KiB, (2) re-upload the unchanged
folder as a new version, (3) download it, (4) upload one 256 MiB file, (5) download it;
plus the floor of each: bare urllib3 PUTs/GETs of the same bytes (32 in flight, through
the same network), hashlib SHA-256 of the same bytes, and on the WAN profile what the
modelled link allows (round trips ÷ requests in flight, bytes ÷ link bandwidth).

The emulator runs as its own process; each measured operation runs in a fresh process
of the right interpreter under ``/usr/bin/time -v`` (peak RSS, CPU seconds). Every
client gets fresh content in every run, so none benefits from another's uploads; every
download is compared with its source. Times are medians over ``--runs``: by default 5
on the LAN profile (a run takes seconds there, and on this VM a single run of the big
download can be slowed by memory the host had taken back: RESULTS.md) and 3 on the WAN
profile; 1 with ``--quick``. Usage::

    python benchmarks/transfers.py [--profile lan|wan|both] [--quick] [--runs N]
        [--small-files 500] [--small-kib 4] [--big-mib 256] [--clients ref,ours] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _transfer_support import (
    REF_VERSION,
    Emulator,
    Measure,
    Sample,
    make_small,
    ref_python,
    same_tree,
    stamp,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPO = "ml-local"
SCENARIOS = {
    "1": "upload 500 × 4 KiB",
    "2": "re-upload unchanged folder",
    "3": "download 500 × 4 KiB",
    "4": "upload 1 × 256 MiB",
    "5": "download 1 × 256 MiB",
}
RAW_IN_FLIGHT = 32  # the bare urllib3 floors: as many requests in flight as frogml's cap
RAW_PARTS = 8  # ranges of the bare ranged GET
DEFAULT_RUNS = {"lan": 5, "wan": 3}


def _run_client(measure: Measure, client: str, run: int, data: Path, sizes: argparse.Namespace):
    """The five scenarios for one client; returns {scenario: Sample}."""
    folder = make_small(data / f"{client}-{run}-small", sizes.small_files, sizes.small_kib)
    big = data / f"{client}-big.bin"
    stamp(big, sizes.big_mib)
    got: dict[str, Sample] = {}
    small_name, big_name = f"{client}-small", f"{client}-big"
    up = {"repo": REPO, "name": small_name, "source": str(folder), "version": f"r{run}"}
    got["1"] = measure(client, "upload", up)
    got["2"] = measure(client, "upload", {**up, "version": f"r{run}-again"})
    target = data / f"{client}-{run}-out"
    down = {"repo": REPO, "name": small_name, "version": f"r{run}", "target": str(target)}
    got["3"] = measure(client, "download", down)
    if not same_tree(folder, target):
        raise SystemExit(f"{client}: the downloaded folder differs from its source")
    up_big = {"repo": REPO, "name": big_name, "source": str(big), "version": f"r{run}"}
    got["4"] = measure(client, "upload", up_big)
    target_big = data / f"{client}-{run}-big-out"
    got["5"] = measure(
        client,
        "download",
        {"repo": REPO, "name": big_name, "version": f"r{run}", "target": str(target_big)},
    )
    if not same_tree(big, target_big / big.name):
        raise SystemExit(f"{client}: the downloaded big file differs from its source")
    shutil.rmtree(target_big)
    return got


def _run_raw(
    measure: Measure, run: int, data: Path, sizes: argparse.Namespace, url: str
) -> dict[str, Sample]:
    folder = make_small(data / f"raw-{run}-small", sizes.small_files, sizes.small_kib)
    big = data / "raw-big.bin"
    stamp(big, sizes.big_mib)
    base = f"{url}/{REPO}/raw/r{run}"
    out = data / f"raw-{run}-out"
    out.mkdir()
    names = sorted(p.name for p in folder.iterdir())
    small_sizes = [sizes.small_kib * 1024] * len(names)
    threads = RAW_IN_FLIGHT
    got = {
        "sha_small": measure("raw", "sha256", {"source": str(folder)}),
        "put_small": measure(
            "raw", "put", {"source": str(folder), "url": f"{base}/small", "threads": threads}
        ),
        "sha_big": measure("raw", "sha256", {"source": str(big)}),
        "put_big": measure("raw", "put", {"source": str(big), "url": f"{base}/big", "threads": 1}),
    }
    common = {"threads": threads, "target": str(out), "parts": 1}
    got["get_small"] = measure(
        "raw", "get", {**common, "url": f"{base}/small", "names": names, "sizes": small_sizes}
    )
    big_args = {**common, "threads": 1, "url": f"{base}/big", "names": [big.name]}
    big_args["sizes"] = [big.stat().st_size]
    got["get_big"] = measure("raw", "get", big_args)
    got["get_big_ranged"] = measure("raw", "get", {**big_args, "parts": RAW_PARTS})
    return got


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 files, 64 MiB, 1 run")
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per profile (default: LAN 5, WAN 3)"
    )
    parser.add_argument("--small-files", type=int, default=None)
    parser.add_argument("--small-kib", type=int, default=4)
    parser.add_argument("--big-mib", type=int, default=None)
    parser.add_argument(
        "--threads", type=int, default=None, help="JFML_THREAD_COUNT for frogml (pins it)"
    )
    parser.add_argument("--clients", default="ref,ours")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--profile",
        choices=["lan", "wan", "both"],
        default="both",
        help="lan: loopback as it is; wan: through benchmarks/netem.py (40 ms round trip, "
        "32 MB/s per connection, 128 MB/s link, 2 round trips per new connection)",
    )
    return parser


def _defaults(args: argparse.Namespace) -> argparse.Namespace:
    args.small_files = args.small_files or (100 if args.quick else 500)
    args.big_mib = args.big_mib or (64 if args.quick else 256)
    return args


def runs_for(args: argparse.Namespace, profile: str) -> int:
    """How many runs a profile gets: ``--runs``, else 1 when quick, else LAN 5, WAN 3."""
    if args.runs:
        return int(args.runs)
    return 1 if args.quick else DEFAULT_RUNS[profile]


@contextlib.contextmanager
def _network(profile: str, url: str) -> Iterator[str]:
    """The URL clients use: the emulator's, or the network model's in front of it."""
    if profile == "lan":
        yield url
        return
    from netem import WAN, NetworkModel

    port = int(url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
    with NetworkModel(("127.0.0.1", port), WAN) as model:
        yield f"{model.url}/artifactory"


def _profile(
    profile: str, args: argparse.Namespace, clients: list[str], pythons: dict[str, str], work: Path
) -> dict[str, list[dict[str, Sample]]]:
    """Every run of every client and the raw floors on one network profile."""
    data = work / profile / "data"
    data.mkdir(parents=True)
    samples: dict[str, list[dict[str, Sample]]] = {c: [] for c in [*clients, "raw"]}
    emulator_data = work / profile / "emulator"
    with Emulator(ROOT, emulator_data) as emulator, _network(profile, emulator.url) as url:
        env = emulator.client_env(home=work / profile / "home")
        env["JF_URL"] = url
        if args.threads:
            env["JFML_THREAD_COUNT"] = str(args.threads)
        for run in range(runs_for(args, profile)):
            order = clients if run % 2 == 0 else clients[::-1]
            for client in order:
                cache = work / profile / "cache" / f"{client}-{run}"  # cold download cache
                measure = Measure(pythons, {**env, "FROGML_CACHE_DIR": str(cache)}, ROOT)
                samples[client].append(_run_client(measure, client, run, data, args))
                # The download cache holds a link to each file downloaded: it goes with
                # the downloaded files, as the reference's do, so that frogml's runs do
                # not keep 256 MiB more in the page cache each (on this VM, writing into
                # memory not used before costs CPU time: see RESULTS.md, LAN row (5)).
                shutil.rmtree(cache, ignore_errors=True)
                print(f"{profile} run {run + 1}: {client} done", file=sys.stderr, flush=True)
            measure = Measure(pythons, env, ROOT)
            samples["raw"].append(_run_raw(measure, run, data, args, url))
    return samples


def main(argv: list[str] | None = None) -> int:
    from _transfer_table import render

    args = _defaults(_parser().parse_args(argv))
    clients = args.clients.split(",")
    work = HERE / ".work" / "transfers"
    shutil.rmtree(work, ignore_errors=True)
    pythons = {"ours": sys.executable, "raw": sys.executable}
    if "ref" in clients:
        pythons["ref"] = ref_python(HERE / ".work" / "ref-venv")
    profiles = ["lan", "wan"] if args.profile == "both" else [args.profile]
    for profile in profiles:
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        samples = _profile(profile, args, clients, pythons, work)
        print(render(samples, args, profile=profile, started=started, ref_version=REF_VERSION))
        print(flush=True)
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    raise SystemExit(main())
