"""``from frogml.storage.frog_ml import FrogMLStorage`` (JFrog's path)."""

from frogml.root.storage import FrogMLStorage

__all__ = ["FrogMLStorage"]
