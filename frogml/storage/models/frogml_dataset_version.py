"""JFrog's FrogMLDatasetVersion: frogml's DatasetVersion."""

from frogml.domain.model.entity import DatasetVersion

FrogMLDatasetVersion = DatasetVersion

__all__ = ["FrogMLDatasetVersion"]
