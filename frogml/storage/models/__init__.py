"""JFrog's ``frogml.storage.models``: frogml's values under JFrog's names."""

from frogml.storage.models.frogml_dataset_version import FrogMLDatasetVersion
from frogml.storage.models.frogml_entity_version import FrogMLEntityVersion
from frogml.storage.models.frogml_model_version import FrogMLModelVersion
from frogml.storage.models.serialization_metadata import SerializationMetadata

__all__ = [
    "FrogMLDatasetVersion",
    "FrogMLEntityVersion",
    "FrogMLModelVersion",
    "SerializationMetadata",
]
