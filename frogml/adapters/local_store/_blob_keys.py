"""Whether a stored blob may be reused: its stat key, recorded when it was written.

A blob is reused by an upload of the same content (deduplication). Trusting it by its
size alone reused a damaged blob, and the version using it could not be downloaded;
hashing every blob on every upload would cost as much as storing it again. So when a
blob is written its stat key (size, mtime, ctime, inode, device) is recorded in a
folder of its own (``blob-keys/ab/<sha256>``: the blob folders hold blobs only), and a
blob whose key changed since (a write, a restore, a copy) is hashed once more before
it is reused, and its key recorded anew.

ctime is in the key because only ctime betrays a file rewritten in place with its
mtime put back (``touch -r``, ``cp -p``, ``rsync -t --inplace``): nothing can set it.
Every hard link made or removed moves it too, so the store records the key again right
after it links a blob into a version folder; a link removed by a deletion or a
clean-up costs one hashing at the next reuse, never a wrong answer.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from frogml.adapters.local_store._layout import Layout

__all__ = ["blob_intact", "record_key"]

_BLOCK = 1 << 20


def _key_file(layout: Layout, sha256: str) -> Path:
    return layout.root / "blob-keys" / sha256[:2] / sha256


def _key(st: os.stat_result) -> str:
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino} {st.st_dev}"


def record_key(layout: Layout, sha256: str) -> None:
    """Remember the blob's stat key now; best effort (a lost key costs one hashing)."""
    key_file = _key_file(layout, sha256)
    try:
        key = _key(os.stat(layout.blob(sha256)))
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(key)
    except OSError:
        pass


def _sha256_of(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(_BLOCK):
            hasher.update(block)
    return hasher.hexdigest()


def blob_intact(layout: Layout, sha256: str, size: int) -> bool:
    """True when the blob of ``sha256`` holds ``size`` bytes of that content: at once
    when its stat key is the one recorded, else after hashing it again."""
    blob = layout.blob(sha256)
    try:
        st = os.stat(blob)
        if st.st_size != size:
            return False
        if _key_file(layout, sha256).read_text() == _key(st):
            return True
    except OSError:
        if not blob.exists():
            return False  # absent (or removed meanwhile): it is stored again
    try:
        intact = _sha256_of(blob) == sha256
    except OSError:
        return False
    if intact:
        record_key(layout, sha256)
    return intact
