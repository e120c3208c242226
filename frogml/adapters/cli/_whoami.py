"""What ``frogml whoami`` (and ``config show``) prints, as lines or as JSON."""

from __future__ import annotations

from frogml.adapters.cli._terminal import shown
from frogml.domain.ports.credentials import Credentials, mask

__all__ = ["emit_json", "whoami_json", "whoami_lines"]


def emit_json(document: object) -> None:
    """One compact JSON document, as every command prints them."""
    from frogml.adapters.cli._output import emit_json as emit

    emit(document)


def whoami_json(found: Credentials | None) -> dict[str, object]:
    """Which credentials are in force, never a secret (the token only masked)."""
    if found is None:
        return {"configured": False, "store": "embedded", "source": None, "url": None}
    auth = "token" if found.access_token else "password" if found.password else "anonymous"
    return {
        "configured": True,
        "store": "embedded" if found.url.startswith("file:") else "artifactory",
        "source": found.source,
        "url": found.url,
        "user": found.identity,
        "auth": auth,
        "token": mask(found.access_token) if found.access_token else None,
    }


def whoami_lines(found: Credentials | None) -> list[str]:
    if found is None:
        return [
            "No server configured: frogml uses the embedded local store.",
            "Run `frogml login` (or set JF_URL and JF_ACCESS_TOKEN) to use Artifactory.",
        ]
    lines = [
        f"Source: {shown(found.source)}",
        f"URL:    {shown(found.url)}",
        f"User:   {shown(found.identity)}",
    ]
    if found.access_token is not None:
        lines.append(f"Token:  {mask(found.access_token)}")
    elif found.password is not None:
        lines.append("Auth:   user and password (hidden)")
    return lines
