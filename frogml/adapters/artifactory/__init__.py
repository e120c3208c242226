"""The Artifactory adapter: the ArtifactStore port over urllib3 (protocol page, sections 1-5)."""

from frogml.adapters.artifactory._admin import AccessToken
from frogml.adapters.artifactory.probe import ArtifactoryProbe
from frogml.adapters.artifactory.settings import (
    ArtifactorySettings,
    RangePolicy,
    RetryPolicy,
    StallPolicy,
)
from frogml.adapters.artifactory.store import ArtifactoryStore

__all__ = [
    "AccessToken",
    "ArtifactoryProbe",
    "ArtifactorySettings",
    "ArtifactoryStore",
    "RangePolicy",
    "RetryPolicy",
    "StallPolicy",
]
