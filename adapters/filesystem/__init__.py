"""The local filesystem adapter: scanning, hashing, and atomic, verified writes."""

from adapters.filesystem._atomic import atomic_write
from adapters.filesystem.local import LocalFileSystem, LocalSourceFile

__all__ = ["LocalFileSystem", "LocalSourceFile", "atomic_write"]
