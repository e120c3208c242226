"""Server addresses: normalising what a user types, building and checking file URLs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from frogml.domain.errors import ConfigurationError, ProtocolError, ValidationError
from frogml.domain.model.entity import EntityRef
from frogml.domain.model.names import check_artifact_path
from frogml.domain.model.server import normalize_server_url
from frogml.domain.ports.artifact_store import Area

__all__ = [
    "ServerUrls",
    "area_folder",
    "check_download_url",
    "derive_url",
    "quote_path",
    "version_path",
]

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters a manifest's download_url must never hold: query, fragment, matrix
# parameters, backslashes, whitespace and control characters.
_FORBIDDEN = re.compile(r"[?#;\\\s\x00-\x1f\x7f]")
# Encoded dots, slashes and backslashes could smuggle a '..' segment past a check.
_ENCODED = re.compile(r"%(2e|2f|5c)", re.IGNORECASE)
_AREA_FOLDERS = {Area.FILES: "model", Area.DEPENDENCIES: "dependencies", Area.CODE: "code"}


@dataclass(frozen=True)
class ServerUrls:
    """The normalised addresses of one server."""

    scheme: str
    netloc: str  # lowercase host, and port when one was given
    prefix: str  # a reverse-proxy path before /artifactory ('' mostly)

    @classmethod
    def parse(cls, url: str) -> ServerUrls:
        """Accept ``https://host``, ``https://host/artifactory`` or ``…/artifactory/``."""
        text = url.strip()
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018  (raises ValueError on a bad port)
        except ValueError as exc:
            raise ConfigurationError("the server URL is not a valid URL", source="url") from exc
        if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
            raise ConfigurationError(
                "the server URL must start with http:// or https:// and name a host",
                source="url",
                hint="for example https://acme.jfrog.io/artifactory",
            )
        if "@" in parts.netloc:
            raise ConfigurationError(
                "the server URL must not hold credentials", source="url", hint="run `frogml login`"
            )
        # One rule decides which server a URL names (the domain's); JFrog's client
        # rebuilds …/artifactory from the host, and a path ending in /artifactory keeps
        # what precedes it (a reverse proxy's prefix).
        canonical = urlsplit(normalize_server_url(text))
        if parts.query or parts.fragment or not canonical.path.endswith("/artifactory"):
            raise ConfigurationError(
                "the server URL must not hold a query or a fragment", source="url"
            )
        prefix = canonical.path[: -len("/artifactory")]
        return cls(scheme=canonical.scheme, netloc=canonical.netloc, prefix=prefix)

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.netloc}"

    @property
    def base(self) -> str:
        """``{scheme}://{host}/artifactory``: where repositories and REST calls live."""
        return f"{self.origin}{self.prefix}/artifactory"

    @property
    def access(self) -> str:
        """``{scheme}://{host}/access``: the Access service (tokens)."""
        return f"{self.origin}{self.prefix}/access"

    def same_origin(self, url: str) -> bool:
        """True when ``url`` has this server's scheme, host and (effective) port."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        scheme = parts.scheme.lower()
        if scheme != self.scheme or parts.hostname is None or "@" in parts.netloc:
            return False
        mine = urlsplit(self.origin)
        return (parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]) == (
            mine.hostname,
            mine.port or _DEFAULT_PORTS[scheme],
        )


def quote_path(path: str) -> str:
    """Percent-encode every segment of a relative path (``;`` would start matrix params)."""
    return "/".join(quote(segment, safe="") for segment in path.split("/"))


def area_folder(ref: EntityRef, area: Area) -> str:
    """The published sub-folder of a version holding files of ``area``."""
    if area is Area.FILES and ref.kind.value == "dataset":
        return "dataset"
    return _AREA_FOLDERS[area]


def version_path(ref: EntityRef) -> str:
    """``{models|datasets}/{entity}/{version}``, relative to the repository."""
    assert ref.version is not None
    return f"{ref.kind.folder}/{ref.entity_path}/{ref.version}"


def derive_url(urls: ServerUrls, ref: EntityRef, area: Area, artifact_path: str) -> str:
    """Where the published layout keeps a file when the manifest gives no URL."""
    return (
        f"{urls.base}/{ref.repository}/{version_path(ref)}/"
        f"{area_folder(ref, area)}/{quote_path(artifact_path)}"
    )


def check_download_url(urls: ServerUrls, ref: EntityRef, url: str) -> str:
    """Return ``url`` when it safely points into ``ref``'s published folder on this server.

    Raises :class:`ProtocolError` for another server, a path outside
    ``{repo}/{models|datasets}/{entity}/{version}/``, a query, fragment, matrix
    parameter, encoded dot or slash, or a ``..`` segment.
    """
    if not isinstance(url, str) or _FORBIDDEN.search(url) or _ENCODED.search(url):
        raise _unsafe(url, "holds a forbidden character or encoding")
    if not urls.same_origin(url):
        raise _unsafe(url, "points to another server")
    path = urlsplit(url).path
    expected = f"{urls.prefix}/artifactory/{ref.repository}/{version_path(ref)}/"
    if not path.startswith(expected):
        raise _unsafe(url, "points outside the version's folder")
    try:
        check_artifact_path(unquote(path[len(expected) :]), field="download_url")
    except ValidationError as exc:
        raise _unsafe(url, "has an unsafe path") from exc
    return url


def _unsafe(url: object, why: str) -> ProtocolError:
    shown = repr(url)
    if len(shown) > 200:
        shown = shown[:200] + "…"
    return ProtocolError(f"server sent an unsafe download_url {shown}: it {why}")
