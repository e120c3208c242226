"""The local filesystem: scanning and hashing sources, writing downloads safely."""

from __future__ import annotations

import os
import stat
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from frogml.adapters.filesystem._atomic import fsync_dir
from frogml.adapters.filesystem._case import folds_case
from frogml.adapters.filesystem._entries import unreadable_file
from frogml.adapters.filesystem._hash_cache import HashCache
from frogml.adapters.filesystem._scan import read_ignore_file, rel_path_of, walk_folder
from frogml.adapters.filesystem._sink import LocalFileSink, final_path
from frogml.adapters.filesystem._target import check_target, inspect, make_way
from frogml.adapters.open_files import limit_hint
from frogml.domain.errors import LocalFileError, ValidationError
from frogml.domain.model.patterns import PathRules
from frogml.domain.model.plan import SkippedFile
from frogml.domain.model.target import Found
from frogml.domain.ports.filesystem import (
    FileSink,
    FileSystem,
    HashesApart,
    Selection,
    SourceFile,
)

__all__ = ["LocalFileSystem", "LocalScan", "LocalSourceFile"]

_HASH_THREADS = 4
_HASH_WINDOW = 512  # files queued to the hashing threads at once


@dataclass(frozen=True, slots=True)
class LocalSourceFile:
    """A scanned file; ``open`` reads it again from disk. Small (slots, no string of its
    own for its path when it is ``base/rel_path``, ``base`` being shared by the files of
    a scan): an upload holds one per file, and sources hold 100,000s of files (issue 15)."""

    rel_path: str
    size: int
    sha256: str
    base: str
    """The file's path; with ``below``, the folder ``rel_path`` is relative to."""
    below: bool = False

    @property
    def path(self) -> str:
        if not self.below:
            return self.base
        return _joined(self.base, self.rel_path)

    def open(self) -> BinaryIO:
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise LocalFileError(
                f"cannot read {self.path!r}: {exc.strerror or exc}",
                path=self.path,
                hint="it changed or vanished after it was scanned; run the command again",
            ) from exc


@dataclass(frozen=True, slots=True)
class LocalScan:
    """A source checked and listed (``(rel_path, path)`` pairs), not hashed yet."""

    hash_all: Callable[[list[tuple[str, str]], str | None], list[SourceFile]]
    found: list[tuple[str, str]]
    root: str | None
    skipped: list[SkippedFile]
    links: dict[str, str]

    @property
    def rel_paths(self) -> list[str]:
        return [rel_path for rel_path, _ in self.found]

    def sizes(self) -> Iterator[int]:
        for _, path in self.found:
            try:
                yield os.stat(path).st_size
            except OSError:
                yield 0  # a hint only: hashing meets the file and says what is wrong

    def hashed(self) -> Selection:
        return Selection(self.hash_all(self.found, self.root), self.skipped, self.links)


class LocalFileSystem(FileSystem, HashesApart):
    """Files on the local disk. ``cache_dir`` (None: no cache) keeps hashes of unchanged
    files; ``now_ns`` (wall-clock nanoseconds, for tests) tells which are too fresh to cache."""

    def __init__(
        self, *, cache_dir: Path | None = None, now_ns: Callable[[], int] = time.time_ns
    ) -> None:
        self._cache_dir = cache_dir
        self._now_ns = now_ns
        self._hashes: HashCache | None = None  # of target files, shared by every check
        self._lock = threading.Lock()
        self._unsynced: dict[str, set[Path]] = {}  # target: folders of renames to sync

    def scan(self, source: str) -> list[SourceFile]:
        return self.select(source, PathRules()).files

    def select(self, source: str, rules: PathRules) -> Selection:
        return self.scan_first(source, rules).hashed()

    def scan_first(self, source: str, rules: PathRules) -> LocalScan:
        path = Path(source)
        st = _stat(path, "source")
        if stat.S_ISREG(st.st_mode):
            reason = rules.reason_to_skip(path.name)
            if reason is not None:
                raise ValidationError(
                    f"source {source!r} is {reason} by the given patterns; nothing to upload"
                )
            if (why := unreadable_file(str(path))) is not None:  # before anything is sent
                raise LocalFileError(
                    f"cannot read source {source!r}: {why}",
                    path=source,
                    hint="check that you may read it",
                )
            only = [(rel_path_of([path.name], path), str(path))]
            return LocalScan(self._hash_all, only, None, [], {})
        if not stat.S_ISDIR(st.st_mode):
            raise ValidationError(f"source {source!r} is neither a file nor a folder")
        found, skipped = walk_folder(path, rules.with_ignore_file(read_ignore_file(path)))
        if not found:
            raise ValidationError(
                f"folder {source!r} holds no file to upload",
                hint=_empty_hint(skipped),
            )
        links = {rel: real for rel, real in found if real != str(path / rel)}
        return LocalScan(self._hash_all, found, str(path), skipped, links)

    def single_file(self, path: str, *, role: str) -> SourceFile:
        st = _stat(Path(path), role)
        if stat.S_ISDIR(st.st_mode):
            raise ValidationError(f"{role} {path!r} is a folder; give a file")
        if not stat.S_ISREG(st.st_mode):
            raise ValidationError(f"{role} {path!r} is not a regular file")
        return self._hash_all([(rel_path_of([Path(path).name], path), str(Path(path)))], None)[0]

    def prepare_target(self, target: str) -> None:
        try:
            Path(target).mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            raise ValidationError(
                f"target {target!r} is a file (or lies below one); give a folder"
            ) from exc
        except OSError as exc:
            raise LocalFileError(
                f"cannot create target folder {target!r}: {exc.strerror or exc}",
                path=target,
                hint="check the path and your permissions",
            ) from exc

    def folds_case(self, target: str) -> bool:
        return folds_case(Path(target))

    def check_target(self, target: str) -> None:
        check_target(target)

    def inspect(self, target: str, rel_path: str, *, size: int, sha256: str) -> Found:
        return inspect(
            target, rel_path, holds=lambda: self.holds(target, rel_path, size=size, sha256=sha256)
        )

    def make_way(self, target: str, rel_path: str) -> None:
        make_way(target, rel_path)

    def holds(self, target: str, rel_path: str, *, size: int, sha256: str) -> bool:
        path = final_path(target, rel_path)
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode) or st.st_size != size:
                return False
            cache = self._target_hashes()
            held = cache.hash(path)
            cache.checkpoint()  # not a save per file: that made n checks cost n² writes
            return held == (size, sha256)
        except OSError:
            return False  # absent or unreadable: download it again

    def _target_hashes(self) -> HashCache:
        with self._lock:
            if self._hashes is None:
                self._hashes = HashCache(self._cache_dir, now_ns=self._now_ns)
                # Checks have no last one: what is unsaved is written when this goes.
                weakref.finalize(self, self._hashes.save)
            return self._hashes

    def open_sink(self, target: str, rel_path: str, *, size: int, sha256: str) -> FileSink:
        final = final_path(target, rel_path)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LocalFileError(
                f"cannot create folder {str(final.parent)!r}: {exc.strerror or exc}",
                path=str(final.parent),
                hint="a file may be in the way, or you may not write there",
            ) from exc
        return LocalFileSink(final, rel_path, size=size, sha256=sha256, renamed=self._later(target))

    def settle(self, target: str) -> None:
        with self._lock:
            folders = self._unsynced.pop(target, set())
        for folder in sorted(folders):
            fsync_dir(folder)

    def _later(self, target: str) -> Callable[[Path], None]:
        """Records the folder of a committed sink of ``target``, for :meth:`settle`."""

        def renamed(folder: Path) -> None:
            with self._lock:
                self._unsynced.setdefault(target, set()).add(folder)

        return renamed

    def _hash_all(self, found: list[tuple[str, str]], root: str | None) -> list[SourceFile]:
        """The sources of ``(rel_path, path)`` pairs, found below ``root`` if not None."""
        cache = HashCache(self._cache_dir, now_ns=self._now_ns)

        def one(pair: tuple[str, str]) -> SourceFile:
            rel_path, path = pair
            try:
                size, sha256 = cache.hash(path)
            except OSError as exc:
                raise LocalFileError(
                    f"cannot read {str(path)!r}: {exc.strerror or exc}",
                    path=str(path),
                    hint=limit_hint(exc) or "check that you may read it",
                ) from exc
            if root is not None and path == _joined(root, rel_path):
                return LocalSourceFile(rel_path, size, sha256, base=root, below=True)
            return LocalSourceFile(rel_path, size, sha256, base=path)

        if len(found) == 1:
            files = [one(found[0])]
        else:
            pool = ThreadPoolExecutor(max_workers=_HASH_THREADS)
            files = []
            try:  # a window at a time: a future per file would cost more than the file
                for start in range(0, len(found), _HASH_WINDOW):
                    files += pool.map(one, found[start : start + _HASH_WINDOW])
            finally:
                # On Ctrl-C (or an error) drop the queued files instead of hashing them all.
                pool.shutdown(wait=True, cancel_futures=True)
        cache.save()
        return files


def _empty_hint(skipped: list[SkippedFile]) -> str:
    if any(s.reason not in ("always ignored", "ignore file") for s in skipped):
        return "the .frogmlignore file or the --include/--exclude patterns leave out every file"
    return "it is empty or holds only ignored files such as .git or .DS_Store"


def _stat(path: Path, role: str) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError as exc:
        raise ValidationError(f"{role} {str(path)!r} does not exist") from exc
    except OSError as exc:
        raise LocalFileError(
            f"cannot read {role} {str(path)!r}: {exc.strerror or exc}",
            path=str(path),
            hint="check the path and your permissions",
        ) from exc


def _joined(folder: str, rel_path: str) -> str:
    """``folder/rel_path`` spelled as a scan spells it (and ``Path`` does)."""
    return rel_path if folder == "." else os.path.join(folder, rel_path)
