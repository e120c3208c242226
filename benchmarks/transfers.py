"""frogml against JFrog's reference client (PyPI ``frogml==2.1.152``) over the emulator.

Scenarios: (1) upload a folder of 1,000 files of 4 KiB, (2) download it, (3) re-upload
the unchanged folder as a new version, (4) upload one 512 MiB file, (5) download it;
plus the raw limit of each: bare urllib3 PUTs/GETs of the same bytes at the same
concurrency, and hashlib SHA-256 of the same bytes.

The emulator runs as its own process; each measured operation runs in a fresh process
of the right interpreter under ``/usr/bin/time -v`` (peak RSS). Every client gets fresh
content in every run, so none benefits from another's uploads; every download is
compared with its source. Times are medians over ``--runs``. Usage::

    python benchmarks/transfers.py [--quick] [--runs 3] [--small-files 1000]
        [--small-kib 4] [--big-mib 512] [--keep]
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
    "1": "upload 1000 × 4 KiB",
    "2": "download 1000 × 4 KiB",
    "3": "re-upload unchanged folder",
    "4": "upload 1 × 512 MiB",
    "5": "download 1 × 512 MiB",
}


def _run_client(measure: Measure, client: str, run: int, data: Path, sizes: argparse.Namespace):
    """The five scenarios for one client; returns {scenario: Sample}."""
    folder = make_small(data / f"{client}-{run}-small", sizes.small_files, sizes.small_kib)
    big = data / f"{client}-big.bin"
    stamp(big, sizes.big_mib)
    got: dict[str, Sample] = {}
    small_name, big_name = f"{client}-small", f"{client}-big"
    up = {"repo": REPO, "name": small_name, "source": str(folder), "version": f"r{run}"}
    got["1"] = measure(client, "upload", up)
    target = data / f"{client}-{run}-out"
    down = {"repo": REPO, "name": small_name, "version": f"r{run}", "target": str(target)}
    got["2"] = measure(client, "download", down)
    if not same_tree(folder, target):
        raise SystemExit(f"{client}: the downloaded folder differs from its source")
    got["3"] = measure(client, "upload", {**up, "version": f"r{run}-again"})
    up_big = {"repo": REPO, "name": big_name, "source": str(big), "version": f"r{run}"}
    got["4"] = measure(client, "upload", up_big)
    target_big = data / f"{client}-{run}-big-out"
    got["5"] = measure(
        client,
        "download",
        {"repo": REPO, "name": big_name, "version": f"r{run}", "target": str(target_big)},
    )
    if not same_tree(big, target_big / big.name):
        raise SystemExit(f"{client}: the downloaded 512 MiB file differs from its source")
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
    threads, parts = sizes.threads, sizes.parts
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
    if parts > 1:
        got["get_big_ranged"] = measure("raw", "get", {**big_args, "parts": parts})
    return got


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 files, 64 MiB, 1 run")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--small-files", type=int, default=None)
    parser.add_argument("--small-kib", type=int, default=4)
    parser.add_argument("--big-mib", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None, help="JFML_THREAD_COUNT for frogml")
    parser.add_argument("--parts", type=int, default=None, help="ranges of the raw ranged GET")
    parser.add_argument("--clients", default="ref,ours")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--profile",
        choices=["lan", "wan"],
        default="lan",
        help="lan: loopback as it is; wan: through benchmarks/netem.py (40 ms round trip, "
        "32 MB/s per connection, 128 MB/s link, 2 round trips per new connection)",
    )
    return parser


def _defaults(args: argparse.Namespace) -> argparse.Namespace:
    from frogml.adapters.artifactory.settings import ArtifactorySettings
    from frogml.domain.ports.credentials import Credentials

    args.runs = args.runs or (1 if args.quick else 3)
    args.small_files = args.small_files or (100 if args.quick else 1000)
    args.big_mib = args.big_mib or (64 if args.quick else 512)
    default = ArtifactorySettings(credentials=Credentials(url="http://x"))
    args.threads = args.threads or default.thread_count
    args.parts = args.parts or default.ranges.parts
    return args


@contextlib.contextmanager
def _network(args: argparse.Namespace, url: str) -> Iterator[str]:
    """The URL clients use: the emulator's, or the network model's in front of it."""
    if args.profile == "lan":
        yield url
        return
    from netem import WAN, NetworkModel

    port = int(url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
    with NetworkModel(("127.0.0.1", port), WAN) as model:
        yield f"{model.url}/artifactory"


def main(argv: list[str] | None = None) -> int:
    from _transfer_table import render

    args = _defaults(_parser().parse_args(argv))
    clients = args.clients.split(",")
    work = HERE / ".work" / "transfers"
    shutil.rmtree(work, ignore_errors=True)
    data = work / "data"
    data.mkdir(parents=True)
    pythons = {"ours": sys.executable, "raw": sys.executable}
    if "ref" in clients:
        pythons["ref"] = ref_python(HERE / ".work" / "ref-venv")
    started = time.strftime("%Y-%m-%d %H:%M")
    samples: dict[str, list[dict[str, Sample]]] = {c: [] for c in [*clients, "raw"]}
    with Emulator(ROOT, work / "emulator") as emulator, _network(args, emulator.url) as url:
        env = emulator.client_env(home=work / "home")
        env["JF_URL"] = url
        if args.threads:
            env["JFML_THREAD_COUNT"] = str(args.threads)
        for run in range(args.runs):
            order = clients if run % 2 == 0 else clients[::-1]
            for client in order:
                cache = work / "cache" / f"{client}-{run}"  # cold download cache per run
                measure = Measure(pythons, {**env, "FROGML_CACHE_DIR": str(cache)}, ROOT)
                samples[client].append(_run_client(measure, client, run, data, args))
            measure = Measure(pythons, env, ROOT)
            samples["raw"].append(_run_raw(measure, run, data, args, url))
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr, flush=True)
    print(render(samples, args, started=started, ref_version=REF_VERSION))
    print(f"\ncommand: {' '.join([Path(sys.executable).name, *sys.argv])}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    raise SystemExit(main())
