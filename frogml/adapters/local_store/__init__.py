"""The embedded local store: versions kept in a folder, blobs stored once by SHA-256."""

from frogml.adapters.local_store.store import LocalStore

__all__ = ["LocalStore"]
