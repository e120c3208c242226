"""The filesystem port: reading sources and writing downloaded files safely."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol, runtime_checkable

from frogml.domain.model.patterns import PathRules
from frogml.domain.model.plan import SkippedFile
from frogml.domain.model.target import Found

__all__ = [
    "ClonableSink",
    "FileSink",
    "FileSystem",
    "HashesApart",
    "RangedFileSink",
    "ScannedSource",
    "Selection",
    "SourceFile",
]


class SourceFile(Protocol):
    """A file to upload, already hashed; ``open`` streams its bytes."""

    @property
    def rel_path(self) -> str:
        """Relative POSIX path inside the uploaded source (a base name for single files)."""
        ...

    @property
    def size(self) -> int: ...

    @property
    def sha256(self) -> str: ...

    def open(self) -> AbstractContextManager[BinaryIO]:
        """A fresh binary stream positioned at the start of the file."""
        ...


class FileSink(Protocol):
    """Where one downloaded file is written; nothing shows under its final name until
    :meth:`commit` has verified size and SHA-256."""

    @property
    def rel_path(self) -> str: ...

    @property
    def offset(self) -> int:
        """Bytes already held from an earlier interrupted attempt (0 for a fresh file)."""
        ...

    def write(self, data: bytes) -> None:
        """Append ``data`` at the current offset."""
        ...

    def restart(self) -> None:
        """Drop the partial data; the next write starts at offset 0."""
        ...

    def commit(self) -> None:
        """Verify every byte and move the file to its final name.

        Raises :class:`~frogml.domain.errors.IntegrityError` (and drops the partial data) when
        the size or SHA-256 differs.
        """
        ...

    def close(self) -> None:
        """Stop writing without committing; partial data may be kept for a resume."""
        ...


@runtime_checkable
class RangedFileSink(FileSink, Protocol):
    """Optional: a sink that also takes bytes at any offset, so that byte ranges of one
    file can arrive concurrently. ``offset`` is then the end of the contiguous prefix
    held; :meth:`commit` still verifies the whole file."""

    def write_at(self, offset: int, data: bytes) -> None:
        """Write ``data`` at ``offset`` (safe from several threads, for disjoint ranges)."""
        ...


@runtime_checkable
class ClonableSink(FileSink, Protocol):
    """Optional: a committed sink that can give its file to a cache cheaply."""

    def clone_to(self, path: str) -> bool:
        """Make ``path`` (a new name) hold the committed bytes: reflink, hard link or
        copy. False when nothing was committed or the filesystem refused."""
        ...


@dataclass(frozen=True)
class Selection:
    """The files of a source that the rules take, and those they leave out.

    ``links`` maps the relative path of each file reached through a symbolic link (the
    file's own, or a folder's above it) to the real file it reads.
    """

    files: list[SourceFile]
    skipped: list[SkippedFile]
    links: dict[str, str] = field(default_factory=dict)


class ScannedSource(Protocol):
    """A source checked and listed as :meth:`FileSystem.select` does, not hashed yet."""

    @property
    def rel_paths(self) -> Sequence[str]:
        """The relative paths of the files taken, in the order :meth:`hashed` gives them."""
        ...

    def sizes(self) -> Iterator[int]:
        """The files' sizes as they are now (a hint: :meth:`hashed` reads them again)."""
        ...

    def hashed(self) -> Selection:
        """The selection, every file hashed (what :meth:`FileSystem.select` returns)."""
        ...


@runtime_checkable
class HashesApart(Protocol):
    """Optional: a filesystem that checks and lists a source before it hashes it, so
    that an upload can start its transaction while the files are hashed."""

    def scan_first(self, source: str, rules: PathRules) -> ScannedSource:
        """What :meth:`FileSystem.select` checks and raises, hashing nothing."""
        ...


class FileSystem(Protocol):
    """Scans sources, hashes them, and writes targets atomically."""

    def scan(self, source: str) -> list[SourceFile]:
        """Every file of a file or folder ``source``, minus the ignore list, by path.

        Raises :class:`~frogml.domain.errors.ValidationError` when the source is missing,
        unreadable, or a folder with no file to upload.
        """
        ...

    def select(self, source: str, rules: PathRules) -> Selection:
        """Like :meth:`scan`, keeping only what ``rules`` and the ``.frogmlignore`` files
        of the source's folders (read here, each applying below its folder as a nested
        ``.gitignore`` does) take; ignore files themselves are never uploaded. Folders
        the rules exclude are not walked.

        Links to files and folders are followed. Raises
        :class:`~frogml.domain.errors.UnsupportedFilesError`, naming them all, when files
        the rules take cannot be uploaded: special files (FIFO, socket, device),
        unreadable files or folders, broken links, or links looping back to a folder
        above them.
        """
        ...

    def single_file(self, path: str, *, role: str) -> SourceFile:
        """One existing regular file (a dependency file, a code archive)."""
        ...

    def prepare_target(self, target: str) -> None:
        """Create the target folder; raise a ValidationError when it cannot be one."""
        ...

    def check_target(self, target: str) -> None:
        """Raise what writing into ``target`` would (it is a file, or may not be
        written), creating nothing."""
        ...

    def inspect(self, target: str, rel_path: str, *, size: int, sha256: str) -> Found:
        """What ``target`` holds where ``rel_path`` goes, compared with these bytes."""
        ...

    def make_way(self, target: str, rel_path: str) -> None:
        """Remove the file, or the empty folder, at ``target/rel_path`` (what
        :meth:`inspect` found in the way, when the caller asked to replace it)."""
        ...

    def folds_case(self, target: str) -> bool:
        """True when the disk holding ``target`` (which may not exist yet) takes names
        that differ only by case for one file, as macOS and Windows do by default."""
        ...

    def holds(self, target: str, rel_path: str, *, size: int, sha256: str) -> bool:
        """True when ``target/rel_path`` already exists with exactly these bytes."""
        ...

    def open_sink(self, target: str, rel_path: str, *, size: int, sha256: str) -> FileSink:
        """A sink for ``target/rel_path``, resuming partial data from an earlier attempt."""
        ...

    def settle(self, target: str) -> None:
        """Make durable what the sinks of ``target`` committed: a sink's bytes are on disk
        before its rename, and the renames are made durable here, once per folder rather
        than once per file (with many small files, that second sync doubled the cost).
        Called when a download ends, also when it fails; never raises."""
        ...
