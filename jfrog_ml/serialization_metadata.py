"""``from jfrog_ml.serialization_metadata import SerializationMetadata``."""

from frogml.domain.model.metadata import SerializationMetadata

__all__ = ["SerializationMetadata"]
