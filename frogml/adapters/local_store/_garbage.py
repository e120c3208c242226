"""Cleaning the embedded store: deleted versions, unused blobs, abandoned uploads.

Uploads and the clean-up share one lock file (``.gc-lock``): an upload holds it shared
while it decides that blobs are there (or stores them) and records them in its staging
folder; the clean-up holds it exclusively while it reads which blobs are used (the
records of the uploads in progress first, then every published manifest) and removes
the others. So a blob an upload counts on is either recorded before the clean-up
looks, or removed before the upload looks, and then stored again. A clean-up started
while uploads store files waits for them (and logs that it does).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from frogml.adapters.local_store._disk import exclusive, fsync_dir, store_error
from frogml.adapters.local_store._layout import NAMESPACE_MARK, Layout
from frogml.adapters.local_store._records import read_manifest, read_uploads
from frogml.adapters.logs import get_logger
from frogml.domain.errors import FrogMLError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.names import is_valid_name
from frogml.domain.ports.garbage import GarbageReport

__all__ = ["STALE_SECONDS", "collect_garbage", "remove_version", "upload_guard"]

STALE_SECONDS = 24 * 3600  # far longer than any local upload: its process is gone
_DELETED = ".deleted"
_UPLOADS_FILE = "uploads.jsonl"
_log = get_logger("frogml")


def _gc_lock(layout: Layout) -> Path:
    return layout.root / ".gc-lock"


def _open_lock(path: Path) -> BinaryIO:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "ab")
    except OSError as exc:
        raise store_error(path, exc) from exc


if sys.platform == "win32":

    @contextlib.contextmanager
    def _flock(layout: Layout, *, shared: bool) -> Iterator[None]:
        yield  # no flock there: a clean-up must not run beside an upload

else:
    import fcntl

    @contextlib.contextmanager
    def _flock(layout: Layout, *, shared: bool) -> Iterator[None]:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        with _open_lock(_gc_lock(layout)) as file:
            try:
                fcntl.flock(file.fileno(), mode | fcntl.LOCK_NB)
            except BlockingIOError:
                if not shared:
                    _log.warning(
                        "garbage_collection_delayed",
                        store=str(layout.root),
                        reason="an upload is storing files; waiting for it",
                    )
                fcntl.flock(file.fileno(), mode)
            try:
                yield
            finally:
                fcntl.flock(file.fileno(), fcntl.LOCK_UN)


def upload_guard(layout: Layout) -> contextlib.AbstractContextManager[None]:
    """Held (shared) by an upload while it checks, stores and records its blobs."""
    return _flock(layout, shared=True)


def remove_version(layout: Layout, ref: EntityRef) -> None:
    """Take the version's folder out of the tree in one rename, then delete it; empty
    entity and namespace folders go too. Under the publishing lock, so that a version
    of that name published at the same moment is either kept whole or never seen."""
    final = layout.version(ref)
    trash = layout.tmp / f"{uuid.uuid4().hex}{_DELETED}"
    entity = final.parent
    try:
        layout.tmp.mkdir(parents=True, exist_ok=True)
        with exclusive(layout.lock_file):
            os.rename(final, trash)
            fsync_dir(entity)
            with contextlib.suppress(OSError):  # rmdir removes only empty folders
                entity.rmdir()
                if entity.parent.name.startswith(NAMESPACE_MARK):
                    entity.parent.rmdir()
    except OSError as exc:
        raise store_error(final, exc) from exc
    shutil.rmtree(trash, ignore_errors=True)  # a leftover is removed by the next clean-up


def _size_of(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
    return total


def _newest_change(folder: Path) -> float:
    """When a staging folder last changed: the folder, or its record of uploads."""
    times = [folder.stat().st_mtime]
    with contextlib.suppress(OSError):
        times.append((folder / _UPLOADS_FILE).stat().st_mtime)
    return max(times)


def _staging_folders(layout: Layout, now: float) -> tuple[list[Path], list[Path]]:
    """(live, abandoned) folders of ``tmp/``: deleted versions' leftovers and uploads
    that have not changed for a day are abandoned."""
    live: list[Path] = []
    gone: list[Path] = []
    for folder in layout.tmp.iterdir() if layout.tmp.is_dir() else []:
        try:
            stale = folder.name.endswith(_DELETED) or now - _newest_change(folder) > STALE_SECONDS
        except OSError:
            continue  # removed meanwhile
        (gone if stale else live).append(folder)
    return live, gone


def _recorded(folders: list[Path]) -> set[str]:
    used: set[str] = set()
    for folder in folders:
        with contextlib.suppress(OSError, FrogMLError):  # a folder finished meanwhile
            used.update(read_uploads(folder / _UPLOADS_FILE).values())
    return used


def _version_folders(layout: Layout) -> Iterator[tuple[EntityKind, Path]]:
    repositories = layout.repositories
    for repository in repositories.iterdir() if repositories.is_dir() else []:
        for kind in EntityKind:
            top = repository / kind.folder
            for entity in _folders(top):
                named = _folders(entity) if entity.name.startswith(NAMESPACE_MARK) else [entity]
                for folder in named:
                    for version in _folders(folder):
                        if is_valid_name(version.name):
                            yield kind, version


def _folders(folder: Path) -> list[Path]:
    return [e for e in folder.iterdir() if e.is_dir()] if folder.is_dir() else []


def _published(layout: Layout) -> set[str]:
    used: set[str] = set()
    for kind, folder in _version_folders(layout):
        with contextlib.suppress(FrogMLError):  # damaged: its blobs stay by their links
            manifest = read_manifest(folder / kind.manifest_file, kind)
            used.update(artifact.sha256 for _, artifact in manifest.entries())
    return used


def _unused_blobs(layout: Layout, used: set[str]) -> list[tuple[Path, int]]:
    """Blobs no record nor manifest names and that no version folder links to."""
    top = layout.root / "blobs" / "sha256"
    found: list[tuple[Path, int]] = []
    for shard in top.iterdir() if top.is_dir() else []:
        for blob in shard.iterdir() if shard.is_dir() else []:
            with contextlib.suppress(OSError):
                st = blob.stat()
                if blob.name not in used and st.st_nlink <= 1:
                    found.append((blob, st.st_size))
    return found


def collect_garbage(layout: Layout, *, now: float, dry_run: bool) -> GarbageReport:
    """Remove unused blobs and abandoned staging folders (``now``: epoch seconds)."""
    location = str(layout.root)
    if not layout.root.is_dir():
        return GarbageReport(location=location, dry_run=dry_run)
    try:
        with _flock(layout, shared=False):
            live, gone = _staging_folders(layout, now)
            stale_bytes = sum(_size_of(folder) for folder in gone)
            if not dry_run:
                for folder in gone:
                    shutil.rmtree(folder, ignore_errors=True)
            used = _recorded(live) | _published(layout)  # uploads first: see the docstring
            unused = _unused_blobs(layout, used)
            if not dry_run:
                for blob, _ in unused:
                    with contextlib.suppress(FileNotFoundError):
                        blob.unlink()
    except OSError as exc:
        raise store_error(layout.root, exc) from exc
    return GarbageReport(
        location=location,
        blobs=len(unused),
        blob_bytes=sum(size for _, size in unused),
        stale_uploads=len(gone),
        stale_bytes=stale_bytes,
        dry_run=dry_run,
    )
