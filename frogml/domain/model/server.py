"""Which server a URL names: the one rule of URL equivalence.

``http://myorg.jfrog.io``, ``http://myorg.jfrog.io/artifactory`` and the same with a
trailing slash are one server, as for JFrog's client. Login, the credential sources and
the Artifactory adapter all decide equality with :func:`normalize_server_url`.
"""

from __future__ import annotations

from frogml.domain.errors import ValidationError

__all__ = ["normalize_server_url", "redact_url", "same_server"]

_SCHEMES = ("http://", "https://")


def normalize_server_url(url: str) -> str:
    """The canonical ``{scheme}://{host}[{prefix}]/artifactory`` of what a user typed.

    The scheme and host are lowercased; a path ending in ``/artifactory`` keeps what
    precedes it (a reverse proxy's prefix); any other path means the host's root.
    """
    text = url.strip().rstrip("/")
    after = text.split("://", 1)[-1]
    host, _, path = after.partition("/")
    if not text.lower().startswith(_SCHEMES) or not host or "@" in after:
        raise ValidationError(
            f"{redact_url(url)!r} is not a server URL",
            field="url",
            hint="for example https://acme.jfrog.io/artifactory",
        )
    scheme = text.split("://", 1)[0].lower()
    host = host.lower()
    if path == "artifactory" or path.endswith("/artifactory"):
        return f"{scheme}://{host}/{path}"
    return f"{scheme}://{host}/artifactory"


def same_server(first: str, second: str) -> bool:
    """True when both URLs name one server (False when either is not a server URL)."""
    try:
        return normalize_server_url(first) == normalize_server_url(second)
    except ValidationError:
        return False


def redact_url(url: str) -> str:
    """``url`` as it may be shown: credentials in it (``user:password@``, or a lone
    ``token@``) replaced by ``****``, so that no message, log or repr can leak them.

    A server URL never needs them (frogml refuses such a URL, as it refuses any @ in
    one), so nothing is lost.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    # Up to the last @, not the first / ? or #: a password may hold those (u:p#w@host
    # would otherwise be shown whole); a server URL has no @ in its path.
    userinfo, at, host = rest.rpartition("@")
    if not at:
        return url
    user, colon, _ = userinfo.partition(":")
    user = user.partition("/")[0].partition("?")[0].partition("#")[0]
    shown = f"{user}:****" if colon else "****"
    return f"{scheme}://{shown}@{host}"
