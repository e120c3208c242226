"""One measured operation of ``transfers.py``, run in its own process.

Run by the interpreter of the client being measured (frogml's venv, or the reference
client's venv under ``benchmarks/.work/ref-venv``), so it imports nothing from this
repository. Prints one JSON line ``{"seconds": …, "cpu": …}`` timing the operation only
(not the interpreter's start or the imports): wall seconds, and CPU seconds of the
process (user + system, every thread). The server comes from ``JF_URL`` and
``JF_ACCESS_TOKEN``. Usage::

    python _transfer_child.py CLIENT OP JSON-ARGS

CLIENT is ``ours``, ``ref`` or ``raw``; OP is ``upload``, ``download``, ``put``, ``get``
or ``sha256``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

FORMAT = {
    "framework": "bench",
    "framework_version": "1",
    "serialization_format": "bin",
    "runtime": "python",
    "runtime_version": "3.11",
}
_BLOCK = 1 << 20


def _ours(op: str, args: dict[str, Any]) -> Callable[[], None]:
    from frogml import FrogMLStorage

    storage = FrogMLStorage()
    if op == "upload":
        return lambda: (
            storage.upload_model_version(
                args["repo"], args["name"], args["source"], FORMAT, version=args["version"]
            )
            and None
        )
    return lambda: (
        storage.download_model_version(args["repo"], args["name"], args["version"], args["target"])
        and None
    )


def _ref(op: str, args: dict[str, Any]) -> Callable[[], None]:
    from frogml.storage.frog_ml import FrogMLStorage  # type: ignore[import-not-found]

    storage = FrogMLStorage()
    if op == "upload":
        return lambda: (
            storage.upload_model_version(
                args["repo"], args["name"], args["source"], dict(FORMAT), version=args["version"]
            )
            and None
        )
    return lambda: storage.download_model_version(
        args["repo"], args["name"], args["version"], args["target"]
    )


def _files(source: str) -> list[Path]:
    root = Path(source)
    return [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())


def _pool(threads: int) -> Any:
    import urllib3

    return urllib3.PoolManager(maxsize=threads, block=True, blocksize=_BLOCK, retries=False)


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {os.environ['JF_ACCESS_TOKEN']}"}


def _raw_put(args: dict[str, Any]) -> Callable[[], None]:
    """Bare PUTs of the same bytes (no hashing, no checksum header), same concurrency."""
    files, base, threads = _files(args["source"]), args["url"], args["threads"]
    pool = _pool(threads)

    def one(path: Path) -> None:
        size = path.stat().st_size
        with open(path, "rb") as body:
            headers = {**_headers(), "Content-Length": str(size)}
            response = pool.request(
                "PUT", f"{base}/{path.name}", body=body, headers=headers, preload_content=True
            )
        assert response.status == 201, response.status

    return lambda: list(ThreadPoolExecutor(threads).map(one, files)) and None


def _raw_get(args: dict[str, Any]) -> Callable[[], None]:
    """Bare GETs into files (no hashing), same concurrency; ``parts`` byte ranges per file."""
    names, base, threads, parts = args["names"], args["url"], args["threads"], args["parts"]
    sizes, target = args["sizes"], Path(args["target"])
    pool = _pool(max(threads, parts))

    def piece(name: str, start: int, end: int, fd: int) -> None:
        headers = {**_headers(), "Range": f"bytes={start}-{end - 1}"} if parts > 1 else _headers()
        response = pool.request("GET", f"{base}/{name}", headers=headers, preload_content=False)
        position = start
        for chunk in response.stream(_BLOCK):
            position += os.pwrite(fd, chunk, position)
        response.release_conn()
        assert position == end, (position, end)

    def one(name: str, size: int) -> None:
        fd = os.open(target / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            step = -(-size // parts)
            bounds = [(s, min(s + step, size)) for s in range(0, size, step)] or [(0, 0)]
            with ThreadPoolExecutor(len(bounds)) as ranged:
                list(ranged.map(lambda b: piece(name, b[0], b[1], fd), bounds))
        finally:
            os.close(fd)

    return lambda: list(ThreadPoolExecutor(threads).map(one, names, sizes)) and None


def _sha256(args: dict[str, Any]) -> Callable[[], None]:
    """hashlib SHA-256 of the same bytes, 1 MiB reads, one thread."""

    def run() -> None:
        buffer = memoryview(bytearray(_BLOCK))
        for path in _files(args["source"]):
            digest = hashlib.sha256()
            with open(path, "rb", buffering=0) as file:
                while count := file.readinto(buffer):
                    digest.update(buffer[:count])
            digest.hexdigest()

    return run


def main() -> None:
    client, op, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    if client == "raw":
        run = {"put": _raw_put, "get": _raw_get, "sha256": _sha256}[op](args)
    else:
        run = (_ours if client == "ours" else _ref)(op, args)
    cpu = time.process_time()
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu}))


if __name__ == "__main__":
    main()
