"""``from frogml.storage.authentication.models import AuthConfig`` (JFrog's path)."""

from frogml.root.auth import AuthConfig

__all__ = ["AuthConfig"]
