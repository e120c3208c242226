"""``from frogml_storage.authentication.models._auth_config import AuthConfig``."""

from frogml.root.auth import AuthConfig

__all__ = ["AuthConfig"]
