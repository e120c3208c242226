"""Use case: decide which credentials are in force."""

from __future__ import annotations

from collections.abc import Iterable

from frogml.domain.ports.credentials import Credentials, CredentialSource

__all__ = ["ExplicitSource", "resolve_credentials"]


def resolve_credentials(sources: Iterable[CredentialSource]) -> Credentials | None:
    """The credentials of the first source that configures any, or None.

    Rules: sources are asked in the order given (explicit settings, then the
    environment, then ``~/.frogml/config.json``) and a later source is never read once
    an earlier one answered, so a broken config file does not matter while the
    environment configures a server; an error of a source that is read is not
    swallowed; None means nothing is configured and the caller uses the embedded store.
    Each source names itself in ``Credentials.source``.
    """
    for source in sources:
        found = source.load()
        if found is not None:
            return found
    return None


class ExplicitSource:
    """Credentials given in code (``AuthConfig``), as the first source to ask."""

    def __init__(self, credentials: Credentials | None) -> None:
        self._credentials = credentials

    def load(self) -> Credentials | None:
        return self._credentials
