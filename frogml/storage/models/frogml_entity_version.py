"""JFrog's FrogMLEntityVersion: frogml's EntityVersion (``entity_name``, ``namespace``,
``version`` and ``entity_manifest`` are among its attributes)."""

from frogml.domain.model.entity import EntityVersion

FrogMLEntityVersion = EntityVersion

__all__ = ["FrogMLEntityVersion"]
