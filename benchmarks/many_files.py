"""Many small files: time per file, peak RSS and peak open files, 2,000 to 100,000 files.

For each size: files of 512 B to 4 KiB (random bytes, 1,000 per folder), then

- the floor: the same files copied and fsynced one by one by a bare Python loop, the
  filesystem's own cost for a durable copy at that size;
- the embedded store: upload, download (each checked byte for byte);
- the emulator (its own process, on 127.0.0.1; the LAN profile of ``transfers.py``:
  loopback as it is, no network model): upload and download
  with frogml (cold download cache) and with JFrog's client (``frogml==2.1.152``, in
  ``benchmarks/.work/ref-venv``) up to ``--ref-max`` files;
- the listings of that version: ``info``, ``versions``, ``ls``; and once, the same for
  an entity of ``--versions`` one-file versions.

Each operation runs in a fresh process: its time excludes the interpreter's start;
peak RSS comes from the kernel, peak open files from sampling ``/proc/PID/fd`` every
2 ms. For the emulator rows, "server CPU" is the emulator process's CPU time over the
operation (one core: its GIL; near the wall time it is the bottleneck). Usage::

    python benchmarks/many_files.py [--quick] [--sizes 2000,20000,100000] [--runs 1]
        [--ref-max 20000] [--versions 1000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _many_files_support import make_files, measure
from _many_files_table import Row, render
from _transfer_support import Emulator, ref_python, same_tree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPO = "ml-local"


def _server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Bench:
    """Runs the operations of one client against one store, collecting rows."""

    def __init__(self, python: str, env: dict[str, str], server: int | None) -> None:
        self.python, self.env, self.server = python, env, server
        self.rows: list[Row] = []

    def run(self, store: str, client: str, op: str, files: int, args: dict[str, object]) -> Row:
        cwd = ROOT if client != "ref" else HERE  # the reference must not see our frogml
        before = _server_cpu(self.server) if self.server else None
        sample = measure(self.python, client, op, args, env=self.env, cwd=cwd)
        cpu = None if before is None or self.server is None else _server_cpu(self.server) - before
        row = Row(store, client, op, files, sample, server_cpu=cpu)
        self.rows.append(row)
        return row


def _round_trip(bench: Bench, store: str, client: str, files: int, source: Path, work: Path):
    name = f"{client}-{files}-{time.monotonic_ns()}"
    common = {"repo": REPO, "name": name, "version": "1"}
    bench.run(store, client, "upload", files, {**common, "source": str(source)})
    target = work / f"out-{name}"
    bench.run(store, client, "download", files, {**common, "target": str(target)})
    if not same_tree(source, target):
        raise SystemExit(f"{store} {client}: the download differs from its source")
    shutil.rmtree(target)
    if client == "ours":
        for op in ("info", "versions", "ls"):
            bench.run(store, client, op, files, common)


def _many_versions(bench: Bench, store: str, count: int, work: Path) -> None:
    source = work / "one-file"
    if not source.exists():
        make_files(source, 1, seed=0)
    args = {"repo": REPO, "name": f"versions-{time.monotonic_ns()}", "source": str(source)}
    bench.run(store, "ours", "publish-many", count, {**args, "count": count})
    for op in ("info", "versions", "ls"):
        bench.run(store, "ours", op, count, {**args, "version": "v0000"})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 and 5,000 files, 50 versions")
    parser.add_argument("--sizes", default="2000,20000,100000")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--ref-max", type=int, default=20000, help="0: no reference client")
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--stores", default="embedded,emulator")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    return parser


def _local_env(base: dict[str, str], work: Path, tag: str) -> dict[str, str]:
    return {
        **base,
        "HOME": str(work / "home"),
        "FROGML_STORE_DIR": str(work / f"store-{tag}"),
        "FROGML_CACHE_DIR": str(work / f"cache-{tag}"),
    }


def _one_size(ctx: argparse.Namespace, files: int, run: int) -> list[Row]:
    """The floor, then each store's round trip and listings, at one size."""
    data, work = ctx.work / f"data-{files}", ctx.work
    if not data.exists():
        make_files(data, files, seed=files)
    floor = Bench(sys.executable, ctx.base, None)
    copy = {"source": str(data), "target": str(work / "floor")}
    floor.run("filesystem", "floor", "copy", files, copy)
    shutil.rmtree(work / "floor")
    rows = floor.rows
    if "embedded" in ctx.stores:
        bench = Bench(sys.executable, _local_env(ctx.base, work, f"{run}-{files}"), None)
        _round_trip(bench, "embedded", "ours", files, data, work)
        rows += bench.rows
    if "emulator" in ctx.stores:
        env = {**ctx.remote, "FROGML_CACHE_DIR": str(work / f"cache-e{run}-{files}")}
        clients = [("ours", sys.executable)]
        if files <= ctx.ref_max:
            clients.append(("ref", ref_python(HERE / ".work" / "ref-venv")))
        for client, python in clients:
            bench = Bench(python, env, ctx.server)
            _round_trip(bench, "emulator", client, files, data, work)
            rows += bench.rows
    return rows


def main(argv: list[str] | None = None) -> int:
    ctx = _parser().parse_args(argv)
    sizes = [2000, 5000] if ctx.quick else [int(s) for s in ctx.sizes.split(",")]
    versions = 50 if ctx.quick else ctx.versions
    ctx.ref_max = min(ctx.ref_max, 2000) if ctx.quick else ctx.ref_max
    ctx.stores = ctx.stores.split(",")
    ctx.work = work = HERE / ".work" / "many-files"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ctx.base = {k: v for k, v in os.environ.items() if not k.startswith(("JF", "FROGML"))}
    started = time.strftime("%Y-%m-%d %H:%M")
    rows: list[Row] = []
    with Emulator(ROOT, work / "emulator") as emulator:
        ctx.server = emulator.pid
        ctx.remote = emulator.client_env(home=work / "home")
        for run in range(ctx.runs):
            for files in sizes:
                rows += _one_size(ctx, files, run)
                print(f"run {run + 1}: {files:,} files done", file=sys.stderr, flush=True)
        for store in ctx.stores:
            remote = store == "emulator"
            env = ctx.remote if remote else _local_env(ctx.base, work, "versions")
            bench = Bench(sys.executable, env, ctx.server if remote else None)
            _many_versions(bench, store, versions, work)
            rows += bench.rows
    print(render(rows, started=started))
    print(f"\ncommand: {' '.join([Path(sys.executable).name, *sys.argv])}")
    if not ctx.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    raise SystemExit(main())
