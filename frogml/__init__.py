"""frogml: versioned ML models and datasets in JFrog Artifactory or a local store.

>>> from frogml import FrogMLStorage, SerializationMetadata
>>> storage = FrogMLStorage()  # JF_URL, `frogml login`, or the embedded store
"""

from domain.model.entity import DatasetVersion, ModelVersion, VersionSummary
from domain.model.manifest import Artifact, DatasetInfo, ModelInfo
from domain.model.metadata import SerializationMetadata
from domain.services._fetch import DownloadResult
from frogml._auth import AuthConfig
from frogml._storage import FrogMLStorage
from frogml.errors import FrogMLError

__version__ = "0.1.0"

__all__ = [
    "Artifact",
    "AuthConfig",
    "DatasetInfo",
    "DatasetVersion",
    "DownloadResult",
    "FrogMLError",
    "FrogMLStorage",
    "ModelInfo",
    "ModelVersion",
    "SerializationMetadata",
    "VersionSummary",
    "__version__",
]
