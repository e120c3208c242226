"""A big upload with and without multipart upload, across the modelled WAN (emulator only).

Multipart upload (protocol page, section 4b) is unverified on real machinelearning
repositories: these figures are the emulator's. The emulator runs as its own process
(multipart on, as on JFrog Cloud), behind ``benchmarks/netem.py``'s WAN profile (40 ms
round trip, 32 MB/s per connection, 128 MB/s for the link, 2 round trips per new
connection); the pre-signed part URLs name the proxy (the emulator builds them from the
Host header), so the parts cross the same modelled link. Each upload runs in a fresh
process under ``/usr/bin/time -v`` (peak RSS) with fresh content (no checksum deploy
can link it): ``single``, multipart turned off in the client (one PUT, as where the
server lacks it), and ``multipart``, the defaults (from 200 MiB, 20 MiB parts, 6 at a
time; ``--parts`` for another number). Times are medians over ``--runs``, the two
alternating. Usage::

    flock /tmp/s4/bench.lock .venv/bin/python benchmarks/multipart.py [--mib 256] [--runs 3]
        [--parts N] [--profile wan|lan]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from _transfer_support import TOKEN, Emulator, stamp  # noqa: E402

from frogml.adapters.artifactory.settings import MultipartPolicy  # noqa: E402

_PEAK = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
MODES = ("single", "multipart")


def _child(mode: str, url: str, source: str, version: str, parts: str) -> None:
    sys.path.insert(0, str(ROOT))
    from frogml import AuthConfig, FrogMLStorage
    from frogml.domain.model.settings import TransferSettings

    # "single": a threshold no file reaches, so the client never even probes.
    if mode == "single":
        settings = TransferSettings(multipart_threshold=1 << 62)
    else:
        settings = TransferSettings(multipart_parts=int(parts))
    storage = FrogMLStorage(AuthConfig.by_access_token(url, TOKEN), settings=settings)
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    storage.upload_dataset_version("ml-local", f"big-{mode}", source, version=version)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    used = after.ru_utime - cpu.ru_utime + after.ru_stime - cpu.ru_stime
    print(json.dumps({"seconds": seconds, "cpu": used}))


def _measure(
    mode: str, url: str, source: Path, version: str, parts: int
) -> tuple[float, float, int]:
    command = [
        "/usr/bin/time",
        "-v",
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        mode,
        url,
        str(source),
        version,
        str(parts),
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    peak = _PEAK.search(done.stderr)
    if done.returncode != 0 or peak is None:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    timed = json.loads(done.stdout.strip().splitlines()[-1])
    return timed["seconds"], timed["cpu"], int(peak.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mib", type=int, default=256)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=("wan", "lan"), default="wan")
    lanes = MultipartPolicy().parts
    parser.add_argument(
        "--parts", type=int, default=lanes, help=f"parts in parallel (default {lanes})"
    )
    parser.add_argument("--child", nargs=5, metavar=("MODE", "URL", "SOURCE", "VERSION", "PARTS"))
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    from netem import LAN, WAN, NetworkModel

    link = WAN if args.profile == "wan" else LAN
    with tempfile.TemporaryDirectory(prefix="frogml-multipart-bench-") as tmp:
        work = Path(tmp)
        folder = work / "src"
        folder.mkdir()
        big = folder / "big.bin"
        results: dict[str, list[tuple[float, float, int]]] = {mode: [] for mode in MODES}
        with Emulator(ROOT, work / "emulator") as emulator:
            port = int(emulator.url.rsplit(":", 1)[1].split("/", 1)[0])
            with NetworkModel(("127.0.0.1", port), link) as model:
                url = f"{model.url}/artifactory"
                for run in range(args.runs):
                    order = MODES if run % 2 == 0 else MODES[::-1]
                    for mode in order:
                        stamp(big, args.mib)  # fresh content: nothing to link
                        sample = _measure(mode, url, folder, f"v{run}", args.parts)
                        results[mode].append(sample)
                        print(f"run {run + 1} {mode}: {results[mode][-1][0]:.2f} s", flush=True)
    floor = args.mib * (1 << 20) / (link.link_mbps * 1e6)
    single = statistics.median(r[0] for r in results["single"])
    print()
    print(
        f"{args.mib} MiB upload, {args.profile.upper()} profile (rtt {link.rtt_ms:g} ms, "
        f"{link.conn_mbps:g} MB/s per connection, {link.link_mbps:g} MB/s link), "
        f"multipart: parts of at most 20 MiB, {args.parts} in parallel; "
        f"median of {args.runs}, emulator only"
    )
    print()
    print("| client mode | seconds | vs single PUT | link floor | peak RSS | CPU s |")
    print("|---|---|---|---|---|---|")
    for mode in MODES:
        rows = results[mode]
        seconds = statistics.median(r[0] for r in rows)
        cpu = statistics.median(r[1] for r in rows)
        peak = max(r[2] for r in rows) / 1024
        print(
            f"| {mode} | {seconds:.2f} | {single / seconds:.2f}× | {floor:.2f} s "
            f"| {peak:.0f} MB | {cpu:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
