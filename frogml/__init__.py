"""frogml: versioned ML models and datasets in JFrog Artifactory or a local store.

>>> from frogml import FrogMLStorage, SerializationMetadata
>>> storage = FrogMLStorage()  # JF_URL, `frogml login`, or the embedded store
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.model.entity import DatasetVersion, ModelVersion, VersionSummary
    from domain.model.manifest import Artifact, DatasetInfo, ModelInfo
    from domain.model.metadata import SerializationMetadata
    from domain.model.plan import TransferPlan
    from domain.services._fetch import DownloadResult
    from domain.services.download_dataset import DownloadDatasetRequest
    from domain.services.download_model import DownloadModelRequest
    from domain.services.upload_dataset import UploadDatasetRequest, UploadDatasetResult
    from domain.services.upload_model import UploadModelRequest, UploadModelResult
    from frogml._auth import AuthConfig
    from frogml._storage import FrogMLStorage
    from frogml.errors import FrogMLError

__version__ = "0.1.0"

# Names are imported on first use, so that ``import frogml.cli`` (the console script)
# does not load msgspec and the use cases before a command needs them.
_LAZY = {
    "Artifact": "domain.model.manifest",
    "AuthConfig": "frogml._auth",
    "DatasetInfo": "domain.model.manifest",
    "DatasetVersion": "domain.model.entity",
    "DownloadDatasetRequest": "domain.services.download_dataset",
    "DownloadModelRequest": "domain.services.download_model",
    "DownloadResult": "domain.services._fetch",
    "FrogMLError": "frogml.errors",
    "FrogMLStorage": "frogml._storage",
    "ModelInfo": "domain.model.manifest",
    "ModelVersion": "domain.model.entity",
    "SerializationMetadata": "domain.model.metadata",
    "TransferPlan": "domain.model.plan",
    "UploadDatasetRequest": "domain.services.upload_dataset",
    "UploadDatasetResult": "domain.services.upload_dataset",
    "UploadModelRequest": "domain.services.upload_model",
    "UploadModelResult": "domain.services.upload_model",
    "VersionSummary": "domain.model.entity",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'frogml' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "Artifact",
    "AuthConfig",
    "DatasetInfo",
    "DatasetVersion",
    "DownloadDatasetRequest",
    "DownloadModelRequest",
    "DownloadResult",
    "FrogMLError",
    "FrogMLStorage",
    "ModelInfo",
    "ModelVersion",
    "SerializationMetadata",
    "TransferPlan",
    "UploadDatasetRequest",
    "UploadDatasetResult",
    "UploadModelRequest",
    "UploadModelResult",
    "VersionSummary",
    "__version__",
]
