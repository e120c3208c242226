"""frogml: versioned ML models and datasets in JFrog Artifactory or a local store.

>>> from frogml import FrogMLStorage, SerializationMetadata
>>> storage = FrogMLStorage()  # JF_URL, `frogml login`, or the embedded store
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from frogml._lazy import lazy_names

if TYPE_CHECKING:
    from frogml.domain.model.entity import (
        DatasetVersion,
        EntityVersion,
        ModelVersion,
        VersionSummary,
    )
    from frogml.domain.model.kind import EntityKind
    from frogml.domain.model.manifest import Artifact, DatasetInfo, ModelInfo
    from frogml.domain.model.metadata import SerializationMetadata
    from frogml.domain.model.plan import TransferPlan
    from frogml.domain.model.repository import RepositoryListing
    from frogml.domain.ports.garbage import GarbageReport
    from frogml.domain.services.delete_version import DeletedVersion
    from frogml.domain.services.download import (
        DownloadDatasetRequest,
        DownloadModelRequest,
        DownloadRequest,
        DownloadResult,
    )
    from frogml.domain.services.upload import (
        UploadDatasetRequest,
        UploadDatasetResult,
        UploadModelRequest,
        UploadModelResult,
        UploadRequest,
        UploadResult,
    )
    from frogml.errors import FrogMLError
    from frogml.root.auth import AuthConfig
    from frogml.root.storage import FrogMLStorage

__version__ = "0.1.0"

# A library emits nothing unless the application configures logging: without this
# handler Python's last-resort handler would print the library's warnings to stderr.
logging.getLogger("frogml").addHandler(logging.NullHandler())

# Names are imported on first use, so that ``import frogml.root.cli`` (the console script)
# does not load msgspec and the use cases before a command needs them.
_LAZY = {
    "Artifact": "frogml.domain.model.manifest",
    "AuthConfig": "frogml.root.auth",
    "DatasetInfo": "frogml.domain.model.manifest",
    "DatasetVersion": "frogml.domain.model.entity",
    "DeletedVersion": "frogml.domain.services.delete_version",
    "DownloadDatasetRequest": "frogml.domain.services.download",
    "DownloadModelRequest": "frogml.domain.services.download",
    "DownloadRequest": "frogml.domain.services.download",
    "EntityKind": "frogml.domain.model.kind",
    "EntityVersion": "frogml.domain.model.entity",
    "DownloadResult": "frogml.domain.services.download",
    "FrogMLError": "frogml.errors",
    "FrogMLStorage": "frogml.root.storage",
    "GarbageReport": "frogml.domain.ports.garbage",
    "ModelInfo": "frogml.domain.model.manifest",
    "ModelVersion": "frogml.domain.model.entity",
    "RepositoryListing": "frogml.domain.model.repository",
    "SerializationMetadata": "frogml.domain.model.metadata",
    "TransferPlan": "frogml.domain.model.plan",
    "UploadDatasetRequest": "frogml.domain.services.upload",
    "UploadDatasetResult": "frogml.domain.services.upload",
    "UploadModelRequest": "frogml.domain.services.upload",
    "UploadModelResult": "frogml.domain.services.upload",
    "UploadRequest": "frogml.domain.services.upload",
    "UploadResult": "frogml.domain.services.upload",
    "VersionSummary": "frogml.domain.model.entity",
}


if not TYPE_CHECKING:  # type checkers see the names through the imports above
    __getattr__, __dir__ = lazy_names(__name__, _LAZY)


__all__ = [
    "Artifact",
    "AuthConfig",
    "DatasetInfo",
    "DatasetVersion",
    "DeletedVersion",
    "DownloadDatasetRequest",
    "DownloadModelRequest",
    "DownloadRequest",
    "DownloadResult",
    "EntityKind",
    "EntityVersion",
    "FrogMLError",
    "FrogMLStorage",
    "GarbageReport",
    "ModelInfo",
    "ModelVersion",
    "RepositoryListing",
    "SerializationMetadata",
    "TransferPlan",
    "UploadDatasetRequest",
    "UploadDatasetResult",
    "UploadModelRequest",
    "UploadModelResult",
    "UploadRequest",
    "UploadResult",
    "VersionSummary",
    "__version__",
]
