"""Files that are never uploaded, as JFrog's client does (protocol page, section 4)."""

from __future__ import annotations

__all__ = ["IGNORED_NAMES", "is_ignored"]

IGNORED_NAMES = frozenset(
    name.casefold()
    for name in (
        ".DS_Store",
        "CVS",
        ".cvsignore",
        "SCCS",
        "vssver.scc",
        ".svn",
        ".git",
        ".gitignore",
        ".gitattributes",
        ".gitmodules",
        ".gitkeep",
        ".gitconfig",
        "model-manifest.json",
        "dataset-manifest.json",
    )
)


def is_ignored(rel_path: str) -> bool:
    """True when any component of the relative POSIX path is on the ignore list."""
    return any(part.casefold() in IGNORED_NAMES for part in rel_path.split("/"))
