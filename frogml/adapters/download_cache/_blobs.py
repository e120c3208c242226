"""The cache folder: one file per SHA-256, added atomically, dropped when it proves bad.

Its housekeeping is logged at info level: a person sees it only with ``--verbose``.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from frogml.adapters.logs import get_logger

__all__ = ["BlobFolder"]

_log = get_logger("frogml")


class BlobFolder:
    """``{root}/sha256/{first two hex digits}/{sha256}``; readers never see a torn file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[str] = set()  # shard folders known to exist (a mkdir per file
        # cost as much as the rest of adding it)

    def path(self, sha256: str) -> Path:
        return self.root / "sha256" / sha256[:2] / sha256

    def find(self, sha256: str, size: int) -> Path | None:
        """The cached file of ``sha256`` when it exists with the right size."""
        path = self.path(sha256)
        try:
            return path if path.stat().st_size == size else None
        except OSError:
            return None

    def add(self, sha256: str, fill: Callable[[str], bool]) -> None:
        """Let ``fill`` create a temporary name, then rename it into place; best effort."""
        final = self.path(sha256)
        if final.exists():
            return
        temp = final.with_name(f".{sha256[:16]}.{uuid.uuid4().hex}.tmp")
        shard, placed = sha256[:2], False
        try:
            if shard not in self._made:
                final.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(shard)
            if fill(str(temp)):
                os.replace(temp, final)
                placed = True
        except OSError as exc:
            self._made.discard(shard)  # the folder may be gone (the cache was cleaned)
            _log.info("download_cache_not_updated", path=str(final), error=str(exc))
        finally:
            if not placed:
                with contextlib.suppress(OSError):
                    temp.unlink()

    def drop(self, sha256: str) -> None:
        """Forget a cached file whose bytes proved wrong."""
        with contextlib.suppress(OSError):
            self.path(sha256).unlink()
        _log.info("download_cache_entry_dropped", sha256=sha256)
