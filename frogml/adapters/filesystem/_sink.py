"""A downloaded file: written beside its final name, verified, then renamed into place.

Bytes may arrive in order (``write``) or as concurrent byte ranges (``write_at``);
either way SHA-256 is computed in one pass as the contiguous prefix grows.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from frogml.adapters.filesystem._atomic import fsync_dir
from frogml.adapters.filesystem._claim import claim, private_partial
from frogml.adapters.filesystem._hashing import feed
from frogml.adapters.filesystem._prefix import PrefixHasher, read_at
from frogml.adapters.filesystem._within import partial_name, resolve_within
from frogml.adapters.filesystem._writes import write_at
from frogml.adapters.open_files import limit_hint
from frogml.adapters.writeback import Writeback
from frogml.domain.errors import IntegrityError, LocalFileError, ValidationError
from frogml.domain.model.names import check_artifact_path
from frogml.domain.ports.filesystem import ClonableSink, RangedFileSink

__all__ = ["LocalFileSink", "final_path", "partial_path"]


def final_path(target: str, rel_path: str) -> Path:
    """Where ``rel_path`` lands in ``target``; refused when a symlink would lead out of it,
    or when it is longer than the disk allows (in time linear in its length)."""
    check_artifact_path(rel_path)
    return resolve_within(target, rel_path)


def partial_path(final: Path, sha256: str) -> Path:
    """The partial file of ``final``: same folder (so the rename is atomic), hidden, its
    name at most 255 bytes (``resolve_within`` checks the length of its path)."""
    return final.with_name(partial_name(final.name, sha256))


def _write_error(path: Path, exc: OSError) -> LocalFileError:
    return LocalFileError(
        f"cannot write {str(path)!r}: {exc.strerror or exc}",
        path=str(path),
        hint=limit_hint(exc) or "check free space and permissions of the target folder",
    )


_MARK_STEP = 16 << 20  # how often an out-of-order download records its prefix
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_FICLONE = 0x40049409  # Linux ioctl: share the extents of another file (copy-on-write)
_NO_REFLINK: set[int] = set()  # devices that refused a reflink: not tried again
_RENAME_CLOSED_FILES = os.name == "nt"  # Windows cannot rename a file that is open


class LocalFileSink(RangedFileSink, ClonableSink):
    """Writes the partial file at offsets and hashes its prefix; resumes a shorter one."""

    def __init__(
        self,
        final: Path,
        rel_path: str,
        *,
        size: int,
        sha256: str,
        renamed: Callable[[Path], None] = fsync_dir,
    ) -> None:
        self._final = final
        self._renamed = renamed  # the folder of a rename to make durable (now, or later)
        self._rel_path = rel_path
        self._size = size
        self._sha256 = sha256
        self._shared = partial_path(final, sha256)
        self._io_lock = threading.Lock()  # only where there is no pread/pwrite
        self._done = False
        self._fd = -1
        self._partial = self._shared
        self._marked = -1  # no marker written yet
        self._furthest = 0
        try:
            self._open()
            hasher = hashlib.sha256()
            held = os.fstat(self._fd).st_size
            usable = _resumable(held, size, self._marker)
            offset = feed(self._partial, hasher, limit=usable) if usable else 0
            os.ftruncate(self._fd, offset)  # drop what follows the verified prefix
            if offset == 0:
                hasher = hashlib.sha256()
        except OSError as exc:
            self._close_fd()
            raise _write_error(self._shared, exc) from exc
        self._hash = PrefixHasher(hasher, start=offset, read_at=read_at(self._fd, self._io_lock))
        self._writeback = Writeback(self._fd, start=offset)  # the fsync in commit waits less

    def _open(self) -> None:
        """Claim the shared partial file, or, when another sink writes it, a private one."""
        fd = claim(self._shared)
        if fd is None:
            fd, self._partial = private_partial(self._shared)
        else:
            self._partial = self._shared
        self._fd = fd
        self._marker = self._partial.with_name(self._partial.name + "-prefix")

    @property
    def rel_path(self) -> str:
        return self._rel_path

    @property
    def offset(self) -> int:
        return self._hash.prefix

    def write(self, data: bytes) -> None:
        self.write_at(self._hash.prefix, data)

    def write_at(self, offset: int, data: bytes) -> None:
        try:
            write_at(self._fd, data, offset, self._io_lock)
            self._hash.wrote(offset, data)
            self._furthest = max(self._furthest, offset + len(data))
            prefix = self._hash.prefix
            self._writeback.grew(prefix)
            if self._furthest > prefix and (
                self._marked < 0 or prefix - self._marked >= _MARK_STEP
            ):
                self._mark(prefix)
        except OSError as exc:
            raise _write_error(self._partial, exc) from exc

    def _mark(self, prefix: int) -> None:
        """Record the contiguous prefix of a file written out of order, so that a run
        killed before ``close`` can trim the gaps and resume (ranges leave holes)."""
        self._marked = prefix
        try:
            _write_marker(self._marker, prefix)
        except OSError as exc:
            if exc.errno != errno.ENAMETOOLONG:
                raise
            # A disk of short names (eCryptfs: 143 bytes): no marker, so a killed run
            # restarts this file instead of resuming it; the download itself goes on.

    def restart(self) -> None:
        try:
            if self._fd < 0:
                self._open()
            os.ftruncate(self._fd, 0)
        except OSError as exc:
            raise _write_error(self._partial, exc) from exc
        self._unmark()
        self._furthest = 0
        self._hash = PrefixHasher(
            hashlib.sha256(), start=0, read_at=read_at(self._fd, self._io_lock)
        )
        self._writeback = Writeback(self._fd)

    def commit(self) -> None:
        if self._done:
            return
        try:
            actual = self._hash.hexdigest()
            held = os.fstat(self._fd).st_size
        except OSError as exc:
            raise _write_error(self._partial, exc) from exc
        received = self._hash.prefix
        if received != self._size or held != self._size or actual != self._sha256:
            self._discard()  # bad bytes never stay; restart() may begin again
            raise IntegrityError(
                f"{self._rel_path!r}: got {received} bytes with SHA-256 {actual}, "
                f"expected {self._size} bytes with SHA-256 {self._sha256}; discarded",
                path=str(self._final),
                expected=self._sha256,
                actual=actual,
            )
        try:
            os.fsync(self._fd)
            if _RENAME_CLOSED_FILES:
                self._close_fd()
            os.replace(self._partial, self._final)  # still claimed: no other sink reopens it
            self._close_fd()
        except IsADirectoryError as exc:
            raise ValidationError(
                f"cannot write {str(self._final)!r}: a folder of that name is in the way",
                hint="move the folder away or choose another target",
            ) from exc
        except OSError as exc:
            raise _write_error(self._final, exc) from exc
        self._done = True
        self._unmark()
        self._renamed(self._final.parent)

    def clone_to(self, path: str) -> bool:
        """Reflink where the filesystem can, else hard link, else copy; never raises."""
        if not self._done:
            return False
        for share in (_reflink, os.link, shutil.copyfile):
            try:
                share(str(self._final), path)
                return True
            except (OSError, shutil.Error, ImportError):
                with contextlib.suppress(OSError):
                    os.unlink(path)
        return False

    def close(self) -> None:
        if self._fd < 0:
            return
        prefix = self._hash.prefix
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, prefix)  # keep only the contiguous prefix for a resume
        self._unmark()  # the file now ends at its prefix
        if prefix == 0 or self._partial != self._shared:  # nothing another run resumes
            with contextlib.suppress(OSError):
                self._partial.unlink()
        self._close_fd()  # last: the claim holds until the partial file is settled

    def _close_fd(self) -> None:
        fd, self._fd = self._fd, -1
        self._writeback = Writeback(-1)  # a late range's hint never reaches a reused number
        if fd >= 0:
            os.close(fd)

    def _unmark(self) -> None:
        with contextlib.suppress(OSError):
            self._marker.unlink()
        self._marked = -1

    def _discard(self) -> None:
        self._unmark()
        self._hash = PrefixHasher(hashlib.sha256(), start=0, read_at=lambda o, n: b"")
        with contextlib.suppress(OSError):
            self._partial.unlink()
        self._close_fd()


def _resumable(held: int, size: int, marker: Path) -> int:
    """How many leading bytes of a partial file of ``held`` bytes may be resumed.

    A file written in order is contiguous: all of it, when shorter than ``size``. A
    file written as ranges by a run that was killed may have holes: only the prefix
    its marker recorded. The final SHA-256 check still covers every byte.
    """
    try:
        recorded = _read_marker(marker)
    except (OSError, ValueError):
        return held if 0 < held < size else 0
    return recorded if 0 < recorded <= held and recorded < size else 0


def _write_marker(marker: Path, prefix: int) -> None:
    """Record ``prefix`` in a new file renamed onto ``marker``: never written through a
    link someone planted under that name in a shared target folder (the rename replaces
    the link itself, its target untouched), and never half-written."""
    fresh = marker.with_name(f"{marker.name}.{secrets.token_hex(4)}")
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o644)
    try:
        try:
            os.write(fd, str(prefix).encode("ascii"))
        finally:
            os.close(fd)
        os.replace(fresh, marker)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(fresh)
        raise


def _read_marker(marker: Path) -> int:
    """The prefix a marker records; a link in its place is refused (OSError), as is
    anything but a short decimal number (ValueError)."""
    fd = os.open(marker, os.O_RDONLY | _NOFOLLOW | _BINARY)
    try:
        return int(os.read(fd, 32))
    finally:
        os.close(fd)


def _reflink(source: str, destination: str) -> None:
    import fcntl  # POSIX only; elsewhere the ImportError falls through to a hard link

    with open(source, "rb") as src:
        device = os.fstat(src.fileno()).st_dev
        if device in _NO_REFLINK:
            raise OSError("reflinks are not supported here")
        with open(destination, "xb") as dst:
            try:
                fcntl.ioctl(dst.fileno(), _FICLONE, src.fileno())
            except OSError:
                _NO_REFLINK.add(device)
                raise
