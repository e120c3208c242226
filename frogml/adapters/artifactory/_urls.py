"""Server addresses: normalising what a user types, building and checking file URLs."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from frogml.domain.errors import ConfigurationError, ProtocolError
from frogml.domain.model.entity import EntityRef
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
        except ValueError:  # its message may quote a part of a password: not chained
            raise ConfigurationError("the server URL is not a valid URL", source="url") from None
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


def check_download_url(
    urls: ServerUrls, ref: EntityRef, area: Area, artifact_path: str, url: object
) -> bool:
    """Cross-check a manifest's ``download_url`` against the file it must name.

    frogml never fetches from ``download_url``: it builds each file's URL from the
    published layout (:func:`derive_url`). Artifactory writes these URLs raw (spaces,
    unicode, even ``#`` or ``;`` inside a name), other servers encode them, so the URL's
    path must end in ``/artifactory/{repo}/{version folder}/{area}/{artifact_path}``
    either as sent or after one decode. Returns False when the URL names another origin
    (the server's configured base URL differs from the one typed), which is tolerated.
    Raises :class:`ProtocolError` for anything else.
    """
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise _unsafe(url, "is not an absolute http(s) URL")
    scheme_end = url.index("://") + 3
    slash = url.find("/", scheme_end)
    origin, raw_path = (url, "") if slash < 0 else (url[:slash], url[slash:])
    expected = f"/artifactory/{ref.repository}/{version_path(ref)}/"
    expected += f"{area_folder(ref, area)}/{artifact_path}"
    if not any(path.endswith(expected) for path in (raw_path, unquote(raw_path))):
        raise _unsafe(url, f"does not name the manifest's file {artifact_path!r}")
    return urls.same_origin(origin + "/")


def _unsafe(url: object, why: str) -> ProtocolError:
    shown = repr(url)
    if len(shown) > 200:
        shown = shown[:200] + "…"
    return ProtocolError(f"server sent an unsafe download_url {shown}: it {why}")
