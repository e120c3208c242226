"""Ordering versions, and ``latest``: the name of an entity's newest version."""

from __future__ import annotations

from collections.abc import Iterable

from frogml.domain.model.entity import VersionSummary

__all__ = ["LATEST", "newest_first"]

LATEST = "latest"
"""Read as a version, the entity's newest published version (by creation time)."""


def newest_first(versions: Iterable[VersionSummary]) -> list[VersionSummary]:
    """By creation time, newest first; versions created at the same moment by name,
    the greatest first. The one rule for listings and for :data:`LATEST`."""
    return sorted(versions, key=lambda v: (v.created, v.version), reverse=True)
