"""Whether a disk ignores case in names, found without writing anything."""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["folds_case"]


def folds_case(target: Path) -> bool:
    """True when ``target``'s disk takes ``a`` and ``A`` for one file.

    Asked of the nearest existing folder: a name of it (or of a child) with letters is
    looked up in the other case. Where no name has letters, the platform's default
    answers (macOS and Windows ignore case).
    """
    folder = target.absolute()
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    for probe in _names_with_letters(folder):
        swapped = probe.with_name(probe.name.swapcase())
        try:
            return os.path.samefile(probe, swapped)
        except OSError:
            return False  # the other spelling does not exist: case matters here
    return sys.platform in ("darwin", "win32")


def _names_with_letters(folder: Path) -> list[Path]:
    chain = [p for p in (folder, *folder.parents) if p.name.swapcase() != p.name]
    if chain:
        return chain[:1]
    try:
        with os.scandir(folder) as entries:
            return [Path(e.path) for e in entries if e.name.swapcase() != e.name][:1]
    except OSError:
        return []
