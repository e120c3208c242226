"""The local filesystem adapter: scanning, hashing, and atomic, verified writes."""

from frogml.adapters.filesystem._atomic import atomic_write
from frogml.adapters.filesystem.local import LocalFileSystem, LocalSourceFile

__all__ = ["LocalFileSystem", "LocalSourceFile", "atomic_write"]
