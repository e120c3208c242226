"""``from frogml_storage.authentication.models import AuthConfig``."""

from frogml.root.auth import AuthConfig

__all__ = ["AuthConfig"]
