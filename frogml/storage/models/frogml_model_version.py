"""JFrog's FrogMLModelVersion: frogml's ModelVersion."""

from frogml.domain.model.entity import ModelVersion

FrogMLModelVersion = ModelVersion

__all__ = ["FrogMLModelVersion"]
