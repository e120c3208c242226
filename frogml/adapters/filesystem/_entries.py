"""What one entry of a source folder is, for the link and special-file policy.

Links to files are followed, wherever they point (as huggingface_hub does; a model
folder from the Hugging Face cache is all links into its blob folder). Links to
folders are followed unless they loop. A special file (FIFO, socket, device), an
unreadable file, a broken link or a loop that the user's patterns did not leave out
stops the upload before anything is sent: a published version cannot be changed, so
nothing may be missing from it silently.
"""

from __future__ import annotations

import errno
import os
import shlex
import stat
from collections.abc import Sequence

from frogml.domain.errors import UnsupportedFilesError
from frogml.domain.model.patterns import literal_pattern

__all__ = ["FILE", "FOLDER", "classify", "is_loop", "refusal", "unreadable_file"]

FILE = "file"
FOLDER = "folder"
_LISTED = 10


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    return "not a regular file"


def classify(entry: os.DirEntry[str]) -> tuple[str, str | None]:
    """``(kind, real)``: ``FILE``, ``FOLDER`` or why the entry cannot be uploaded;
    ``real`` is the resolved path when the entry is a symbolic link (else None)."""
    try:
        if not entry.is_symlink():  # the type comes with the listing: no system call
            if entry.is_dir(follow_symlinks=False):
                return FOLDER, None
            if entry.is_file(follow_symlinks=False):
                return FILE, None
            return _special(entry.stat(follow_symlinks=False).st_mode), None
        real = os.path.realpath(entry.path)
        mode = os.stat(entry.path).st_mode
    except FileNotFoundError:
        return "a broken link", None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a link looping on itself", None
        return f"unreadable ({exc.strerror or exc})", None
    if stat.S_ISDIR(mode):
        return FOLDER, real
    if stat.S_ISREG(mode):
        return FILE, real
    return _special(mode), real


def unreadable_file(path: str) -> str | None:
    """Why the regular file ``path`` cannot be read by this process, or None."""
    return None if os.access(path, os.R_OK) else "unreadable (permission denied)"


def is_loop(real: str, chain: Sequence[str]) -> bool:
    """True when following a link to the folder ``real`` would come back to a folder of
    ``chain`` (the real folders from the source down to the link): it holds one of them."""
    inside = real.rstrip(os.sep) + os.sep
    return any(folder == real or folder.startswith(inside) for folder in chain)


def refusal(source: str, refused: Sequence[tuple[str, str]]) -> UnsupportedFilesError:
    """One error naming every ``(rel_path, why)`` that stops the upload, and the
    exclude patterns that would leave them out."""
    refused = sorted(refused)
    listed = ", ".join(f"{path} ({why})" for path, why in refused[:_LISTED])
    more = f" and {len(refused) - _LISTED} more" if len(refused) > _LISTED else ""
    excludes = tuple(literal_pattern(path.rstrip("/")) for path, _ in refused)
    options = " ".join(f"--exclude {shlex.quote(p)}" for p in excludes[:_LISTED])
    return UnsupportedFilesError(
        f"cannot upload {len(refused)} file(s) of {source!r}: {listed}{more}; nothing was sent",
        path=source,
        paths=tuple(path for path, _ in refused),
        excludes=excludes,
        hint=f"leave them out with {options} (API: exclude=[...] with the same patterns), "
        "or with those lines in .frogmlignore",
    )
