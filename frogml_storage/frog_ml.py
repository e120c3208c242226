"""``from frogml_storage.frog_ml import FrogMLStorage`` (the documentation's path)."""

from frogml.root.storage import FrogMLStorage

__all__ = ["FrogMLStorage"]
