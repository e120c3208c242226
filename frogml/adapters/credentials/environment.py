"""Credentials from JFrog's environment variables: JF_URL and JF_ACCESS_TOKEN."""

from __future__ import annotations

from collections.abc import Mapping

from frogml.domain.errors import ConfigurationError
from frogml.domain.ports.credentials import Credentials, CredentialSource

__all__ = ["EnvironmentSource"]


class EnvironmentSource(CredentialSource):
    """``JF_URL`` with ``JF_ACCESS_TOKEN``; ``JF_URL`` alone is a URL without a secret
    (``resolve_credentials`` completes it with a saved login for that server, if any)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = env

    def load(self) -> Credentials | None:
        url = self._env.get("JF_URL", "").strip()
        token = self._env.get("JF_ACCESS_TOKEN", "").strip()
        if not url:
            if token:
                raise ConfigurationError(
                    "JF_ACCESS_TOKEN is set but JF_URL is not, so the token's server is unknown",
                    source="environment",
                    hint="set JF_URL to that server's URL, e.g. https://acme.jfrog.io/artifactory, "
                    "or unset JF_ACCESS_TOKEN to use the server `frogml login` saved",
                )
            return None
        return Credentials(url=url, access_token=token or None, source="environment")
