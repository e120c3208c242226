"""What beginning an upload would refuse, found without writing anything."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from frogml.adapters.local_store._disk import store_error
from frogml.adapters.local_store._layout import Layout
from frogml.domain.errors import AlreadyExistsError
from frogml.domain.model.entity import EntityRef

__all__ = ["check_upload"]


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_upload(layout: Layout, ref: EntityRef) -> None:
    """Raise what ``LocalStore.begin`` would for ``ref``: the version is published (when
    it is named), or the store's staging folder cannot be created or written."""
    if ref.version is not None and layout.version(ref).exists():
        raise AlreadyExistsError(f"{ref.describe()} is already published", what="version")
    folder = _nearest_existing(layout.tmp.absolute())
    if not folder.is_dir():
        raise store_error(layout.tmp, NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise store_error(layout.tmp, PermissionError(errno.EACCES, os.strerror(errno.EACCES)))
