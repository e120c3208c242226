"""Low-level disk operations of the local store: durable writes, links, the lock."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from frogml.adapters.open_files import limit_hint
from frogml.domain.errors import LocalFileError

__all__ = ["exclusive", "fsync_dir", "link_or_copy", "store_error", "write_durably"]

_COPY_BUFFER = 1 << 20


def store_error(path: Path, exc: OSError) -> LocalFileError:
    """A failed operation on the store's own files, naming the file."""
    return LocalFileError(
        f"local store: cannot use {str(path)!r}: {exc.strerror or exc}",
        path=str(path),
        hint=limit_hint(exc) or "check free space and permissions of the local store folder",
    )


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open folders; NTFS journals renames itself.
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write a new file inside a staging folder (it becomes visible only by renaming);
    ``data`` may come in pieces, written one after another."""
    with open(path, "xb") as file:
        if isinstance(data, bytes):
            file.write(data)
        else:
            file.writelines(data)
        file.flush()
        os.fsync(file.fileno())


def link_or_copy(blob: Path, destination: Path) -> None:
    """Show ``blob`` at ``destination``: a hard link, or a copy where links fail
    (filesystems without hard links, or a blob at its link limit).

    Raises FileExistsError when ``destination`` exists: it may be another blob's hard
    link (a name the disk folds into one already used), which a copy would overwrite.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(blob, destination)
    except FileExistsError:
        raise
    except OSError:
        with open(blob, "rb") as source, open(destination, "xb") as copy:
            shutil.copyfileobj(source, copy, _COPY_BUFFER)
        os.chmod(destination, 0o444)


if sys.platform == "win32":

    @contextlib.contextmanager
    def exclusive(lock_file: Path) -> Iterator[None]:
        # Windows' rename refuses an existing target, which alone decides the race.
        yield

else:
    import fcntl

    @contextlib.contextmanager
    def exclusive(lock_file: Path) -> Iterator[None]:
        """Hold the store's lock: between processes, only one publishes at a time.

        POSIX ``rename`` silently replaces an *empty* folder, so the check that a
        version is new and the rename that publishes it must not interleave.
        """
        with open(lock_file, "ab") as file:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(file.fileno(), fcntl.LOCK_UN)
