"""One measured operation of ``many_files.py``, run in its own process.

Run by the interpreter of the client measured (frogml's venv, or the reference client's
under ``benchmarks/.work/ref-venv``), from a folder where this repository's ``frogml``
is not importable for the reference. Prints one JSON line ``{"seconds": …}`` timing the
operation alone (not the interpreter's start nor the imports). The store comes from
the environment: ``JF_URL``/``JF_ACCESS_TOKEN``, else ``FROGML_STORE_DIR``. Usage::

    python _many_files_child.py CLIENT OP JSON-ARGS

CLIENT is ``ours``, ``ref`` or ``floor``. OP is ``upload``, ``download``, ``info``,
``versions``, ``ls`` or ``publish-many`` for ``ours``; ``upload`` or ``download`` for
``ref``; ``copy`` for ``floor``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = {
    "framework": "bench",
    "framework_version": "1",
    "serialization_format": "bin",
    "runtime": "python",
    "runtime_version": "3.11",
}


def _ours(op: str, args: dict[str, Any]) -> Callable[[], object]:
    from frogml import FrogMLStorage

    storage = FrogMLStorage()
    repo, name = args["repo"], args["name"]
    version = args.get("version", "")
    operations: dict[str, Callable[[], object]] = {
        "upload": lambda: storage.upload_model_version(
            repo, name, args["source"], FORMAT, version=version
        ),
        "download": lambda: storage.download_model_version(repo, name, version, args["target"]),
        "info": lambda: storage.get_info("model", repo, name, version),
        "versions": lambda: storage.list_versions("model", repo, name),
        "ls": lambda: storage.list_entities("model", repo),
        "publish-many": lambda: [
            storage.upload_model_version(repo, name, args["source"], FORMAT, version=f"v{i:04d}")
            for i in range(args["count"])
        ],
    }
    return operations[op]


def _ref(op: str, args: dict[str, Any]) -> Callable[[], object]:
    from frogml.storage.frog_ml import FrogMLStorage  # type: ignore[import-not-found]

    storage = FrogMLStorage()
    repo, name, version = args["repo"], args["name"], args["version"]
    if op == "upload":
        return lambda: storage.upload_model_version(
            repo, name, args["source"], dict(FORMAT), version=version
        )
    return lambda: storage.download_model_version(repo, name, version, args["target"])


def _copy(args: dict[str, Any]) -> Callable[[], object]:
    """The filesystem's floor: copy each file of ``source`` to ``target`` (same layout)
    and fsync it, one file at a time, as a verified durable write must at least."""
    source, target = Path(args["source"]), Path(args["target"])
    files = sorted(p.relative_to(source) for p in source.rglob("*") if p.is_file())
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL

    def run() -> None:
        made: set[Path] = set()
        for rel in files:
            folder = (target / rel).parent
            if folder not in made:
                folder.mkdir(parents=True, exist_ok=True)
                made.add(folder)
            data = (source / rel).read_bytes()
            fd = os.open(target / rel, flags, 0o644)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)

    return run


def _peak_rss_kib() -> int:
    """This process's own peak RSS: ``VmHWM``, as ``ru_maxrss`` also counts the memory
    of the process it was started from (Linux carries it across ``exec``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    client, op, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    run = _copy(args) if client == "floor" else {"ours": _ours, "ref": _ref}[client](op, args)
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    answer: dict[str, Any] = {"seconds": seconds, "peak_kib": _peak_rss_kib()}
    if op in ("versions", "ls"):
        answer["count"] = len(result)  # type: ignore[arg-type]
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
