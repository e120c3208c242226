"""A shared, content-addressed cache of downloaded files wrapped around any ArtifactStore."""

from frogml.adapters.download_cache.store import CachingStore

__all__ = ["CachingStore"]
