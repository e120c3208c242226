"""Repositories: what a listing of a server's (or the embedded store's) repositories says."""

from __future__ import annotations

from frogml.domain.model.base import Value

__all__ = ["MACHINE_LEARNING", "RepositoryListing"]

MACHINE_LEARNING = "machinelearning"
"""Artifactory's package type of the repositories that hold models and datasets."""


class RepositoryListing(Value, frozen=True):
    """One repository: its key, its class (``local``, ``remote``, ``virtual``,
    ``federated``) and package type as the store names them; ``url`` and
    ``description`` when the store has them."""

    key: str
    rclass: str = "local"
    package_type: str = MACHINE_LEARNING
    url: str | None = None
    description: str | None = None
