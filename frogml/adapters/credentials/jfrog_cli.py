"""JFrog CLI's ``~/.jfrog/jfrog-cli.conf.v6``: servers ``frogml login`` can reuse.

The file belongs to JFrog CLI, so unknown fields are ignored; an encrypted file
(JFrog CLI's master key) cannot be read and the user is told how to log in instead.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from frogml.domain.errors import ConfigurationError
from frogml.domain.ports.credentials import (
    Credentials,
    CredentialSource,
    ServerCatalog,
    ServerEntry,
)
from frogml.domain.services.login import server_id_for

__all__ = ["JfrogCliConfig"]

_HOW = "log in with `frogml login --url URL --token …` or `--username …` instead"


class _Server(msgspec.Struct, kw_only=True, rename="camel"):
    server_id: str = ""
    url: str = ""
    artifactory_url: str = ""
    access_token: str = ""
    user: str = ""
    password: str = ""
    is_default: bool = False

    def __repr__(self) -> str:
        return f"_Server(server_id={self.server_id!r})"


class _Document(msgspec.Struct, kw_only=True):
    servers: list[_Server] = msgspec.field(default_factory=list)
    version: str = ""
    enc: bool = False


_DECODER = msgspec.json.Decoder(_Document)


class JfrogCliConfig(CredentialSource, ServerCatalog):
    """JFrog CLI's config at ``path``; its default server is ``isDefault``, else the first."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)

    @property
    def location(self) -> str:
        return str(self._path)

    def load(self) -> Credentials | None:
        return next((e.credentials for e in self.servers() if e.is_default), None)

    def servers(self) -> list[ServerEntry]:
        servers = [s for s in self._read().servers if s.artifactory_url or s.url]
        marked = next((i for i, s in enumerate(servers) if s.is_default), 0)
        source = f"JFrog CLI config {self._path}"
        return [
            ServerEntry(
                server_id=s.server_id or server_id_for(_url(s)),
                credentials=_credentials(s, source),
                is_default=index == marked,
            )
            for index, s in enumerate(servers)
        ]

    def _read(self) -> _Document:
        try:
            data = self._path.read_bytes()
        except FileNotFoundError:
            return _Document()
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise self._error(f"cannot be read ({reason})", hint=_HOW) from exc
        try:
            document = _DECODER.decode(data)
        except msgspec.ValidationError as exc:
            raise self._error(f"has an unexpected shape: {exc}", hint=_HOW) from exc
        except msgspec.DecodeError as exc:
            raise self._error(
                "is not JSON: JFrog CLI may have encrypted it with its master key", hint=_HOW
            ) from exc
        if document.enc:
            raise self._error("is encrypted with JFrog CLI's master key", hint=_HOW)
        return document

    def _error(self, what: str, *, hint: str) -> ConfigurationError:
        return ConfigurationError(
            f"the JFrog CLI config file {self._path} {what}", source=str(self._path), hint=hint
        )


def _url(server: _Server) -> str:
    return (server.artifactory_url or server.url).strip()


def _credentials(server: _Server, source: str) -> Credentials:
    if server.access_token:
        return Credentials(
            url=_url(server),
            user=server.user or None,
            access_token=server.access_token,
            source=source,
        )
    if server.user and server.password:
        return Credentials(
            url=_url(server), user=server.user, password=server.password, source=source
        )
    return Credentials(url=_url(server), source=source)
