"""What a hostile server sends: manifests of extreme shapes, terminal escapes, HTML.

Used by the emulator's hostile faults (`deep_manifest`, `escapes`, `html`), by the
tests and by the benchmarks, so that all of them speak of the same attacks.
"""

from __future__ import annotations

import random
import string
from typing import Any

import msgspec

__all__ = [
    "ESCAPES",
    "HTML_PAGE",
    "MIB",
    "deep_manifest",
    "escaped_manifest",
    "manifest_of_shape",
]

MIB = 1 << 20
# Clear the screen, home the cursor, print a fake success, set the window title, then
# flip the rest of the line right-to-left: what a terminal must never receive raw.
ESCAPES = "\x1b[2J\x1b[H\x1b[32mUpload OK\x1b[0m\x1b]0;pwned\x07\u202eexe.txt"
HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
    b"<body><form action='/login'><input name='user'></form></body></html>\n"
)
_FORMAT = {
    "framework": "pytorch",
    "framework_version": "2.5.1",
    "serialization_format": "pt",
    "runtime": "python",
    "runtime_version": "3.11",
}
_NAME = string.ascii_lowercase + string.digits + "_-"


def _artifact(rng: random.Random, path: str) -> dict[str, Any]:
    return {
        "artifact_path": path,
        "size": rng.randrange(1 << 20),
        "checksums": {"sha2": rng.randbytes(32).hex()},
    }


def _document(kind: str, artifacts: list[dict[str, Any]]) -> dict[str, Any]:
    if kind == "dataset":
        return {"created_date": "2026-01-01T00:00:00.00", "dataset_artifacts": artifacts}
    return {
        "created_date": "2026-01-01T00:00:00.00",
        "model_artifacts": artifacts,
        "model_format": dict(_FORMAT),
    }


def _segment(rng: random.Random, longest: int) -> str:
    return "".join(rng.choices(_NAME, k=rng.randint(1, longest)))


def _paths(rng: random.Random, shape: str, budget: int) -> list[str]:
    """Artifact paths of about ``budget`` characters in all, of the given shape."""
    if shape == "deep":  # one very deep path, and a few ordinary files beside it
        parts, used = [], 0
        while used < budget:
            parts.append(_segment(rng, 3))
            used += len(parts[-1]) + 1
        return ["/".join(parts), "model.pt", "config.json"]
    if shape == "deepest_allowed":  # many paths of 2,000 one-letter folders (4,000 chars)
        count = max(1, budget // 4100)
        return ["/".join(rng.choices(string.ascii_lowercase, k=2000)) for _ in range(count)]
    if shape == "long_names":  # very long single names
        return ["".join(rng.choices(_NAME, k=8)) * (budget // 40) for _ in range(4)]
    paths: list[str] = []
    used = 0
    folder: list[str] = []
    while used < budget:
        if shape == "tree":  # a random walk: down, up, or a sibling, reusing prefixes
            move = rng.random()
            if move < 0.45 or not folder:
                folder.append(_segment(rng, 6))
            elif move < 0.6:
                del folder[rng.randrange(len(folder)) :]
        path = "/".join([*folder, f"f{len(paths)}_{_segment(rng, 6)}"])
        paths.append(path)
        used += len(path) + 100  # the artifact's other fields
    return paths


def manifest_of_shape(rng: random.Random, shape: str, *, kind: str, size: int) -> bytes:
    """A manifest of at least ``size`` bytes: ``deep`` (one path of nearly all of it),
    ``deepest_allowed`` (paths of 2,000 folders, just under the 4,096-character limit),
    ``wide`` (many files in one folder), ``tree`` (a random tree of any depth) or
    ``long_names`` (a few names of a quarter of it each)."""
    budget = size
    while True:
        artifacts = [_artifact(rng, path) for path in _paths(rng, shape, budget)]
        data = msgspec.json.encode(_document(kind, artifacts))
        if len(data) >= size:
            return data
        budget += size - len(data) + 64


def deep_manifest(kind: str, *, depth: int) -> bytes:
    """The review's attack: one file at ``a/`` repeated ``depth`` times plus ``x``."""
    rng = random.Random(depth)
    return msgspec.json.encode(_document(kind, [_artifact(rng, "a/" * depth + "x")]))


def escaped_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """``manifest`` with terminal escapes in its model format and a right-to-left
    override in its first file's name (a name a disk can hold)."""
    changed = dict(manifest)
    if "model_format" in changed:
        changed["model_format"] = dict.fromkeys(_FORMAT, ESCAPES)
    key = "model_artifacts" if "model_artifacts" in changed else "dataset_artifacts"
    files = [dict(a) for a in changed.get(key, [])]
    if files:
        files[0]["artifact_path"] = files[0]["artifact_path"] + "\u202ecod.exe"
        files[0].pop("download_url", None)
    changed[key] = files
    return changed
