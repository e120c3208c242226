"""Embedded-store round trips: 1,000 small files and one large file.

Each phase (upload, re-upload unchanged, download) runs in its own process under
``/usr/bin/time -v`` so its peak memory (maximum resident set size) is measured.
Every downloaded byte is compared with the source. Usage:

    python benchmarks/local_roundtrip.py [--big-mib 1024] [--small-files 1000]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_FORMAT = {
    "framework": "bench",
    "framework_version": "1",
    "serialization_format": "bin",
    "runtime": "python",
    "runtime_version": "3.11",
}


def child(phase: str, store: str, source: str, version: str, target: str) -> None:
    """Run one phase with the library and print its JSON result on stdout."""
    from frogml import AuthConfig, FrogMLStorage, SerializationMetadata, UploadModelRequest

    storage = FrogMLStorage(AuthConfig(f"file://{store}"))
    started = time.perf_counter()
    if phase == "upload":
        request = UploadModelRequest(
            repository="bench",
            name="model",
            source_path=source,
            model_format=SerializationMetadata.coerce(_FORMAT),
            version=version,
        )
        result = storage.upload_model(request)
        moved = {
            "bytes_sent": result.report.bytes_sent,
            "bytes_deduplicated": result.report.bytes_deduplicated,
        }
    else:
        got = storage.download_model_version("bench", "model", version, target)
        moved = {"bytes_downloaded": got.bytes_downloaded}
    print(json.dumps({"seconds": time.perf_counter() - started, **moved}))


def _measure(args: list[str]) -> tuple[dict[str, float], int]:
    command = ["/usr/bin/time", "-v", sys.executable, __file__, "--child", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert peak is not None, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), int(peak.group(1))


def _same_tree(left: Path, right: Path) -> bool:
    names = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    for name in names:
        if not filecmp.cmp(left / name, right / name, shallow=False):
            return False
    return len(names) == sum(1 for p in right.rglob("*") if p.is_file())


def scenario(label: str, source: Path, work: Path) -> list[str]:
    """Upload, re-upload unchanged as a new version, download; one table row each."""
    store, rows = work / "store", []
    size = sum(p.stat().st_size for p in source.rglob("*") if p.is_file()) or source.stat().st_size
    for phase, version in (("upload", "v1"), ("re-upload", "v2")):
        result, peak = _measure(["upload", str(store), str(source), version, ""])
        rows.append(
            f"| {label} | {phase} | {result['seconds']:.2f} | {peak / 1024:.0f} | "
            f"sent {result['bytes_sent']:,} B, deduplicated "
            f"{result['bytes_deduplicated']:,} B |"
        )
    target = work / "out"
    result, peak = _measure(["download", str(store), "", "v1", str(target)])
    if source.is_dir():
        identical = _same_tree(source, target)
    else:
        identical = filecmp.cmp(source, target / source.name, shallow=False)
    rows.append(
        f"| {label} | download | {result['seconds']:.2f} | {peak / 1024:.0f} | "
        f"{size:,} B, byte-identical: {identical} |"
    )
    if not identical:
        raise SystemExit(f"{label}: downloaded bytes differ from the source")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big-mib", type=int, default=1024)
    parser.add_argument("--small-files", type=int, default=1000)
    parser.add_argument("--child", nargs=5)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    base = Path(tempfile.mkdtemp(prefix="frogml-bench-", dir=os.environ.get("BENCH_DIR")))
    try:
        small = base / "small"
        small.mkdir()
        for index in range(args.small_files):
            (small / f"d{index % 10}").mkdir(exist_ok=True)
            (small / f"d{index % 10}" / f"f{index}.bin").write_bytes(os.urandom(4096))
        big = base / "big.bin"
        with big.open("wb") as handle:
            for _ in range(args.big_mib):
                handle.write(os.urandom(1 << 20))
        rows = ["| data | phase | seconds | peak RSS (MiB) | moved |", "|---|---|---|---|---|"]
        rows += scenario(f"{args.small_files} files of 4 KiB", small, base / "w-small")
        rows += scenario(f"one {args.big_mib} MiB file", big, base / "w-big")
        print("\n".join(rows))
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
