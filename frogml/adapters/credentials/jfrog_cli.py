"""JFrog CLI's ``~/.jfrog/jfrog-cli.conf.v6``: servers ``frogml login`` can reuse.

The file belongs to JFrog CLI, so unknown fields are ignored (only the ones read are
checked, in plain words: ``servers[0].accessToken must be text``); an encrypted file
(JFrog CLI's master key) cannot be read and the user is told how to log in instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from frogml.adapters.credentials import _json
from frogml.adapters.credentials._atomic import warn_if_readable_by_others
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


@dataclass(frozen=True)
class _Server:
    server_id: str = ""
    url: str = ""
    artifactory_url: str = ""
    access_token: str = field(default="", repr=False)
    user: str = ""
    password: str = field(default="", repr=False)
    is_default: bool = False


def _server(raw: object, where: str) -> _Server:
    record = _json.as_object(raw, where)
    return _Server(
        server_id=_json.text(record, "serverId", where) or "",
        url=_json.text(record, "url", where) or "",
        artifactory_url=_json.text(record, "artifactoryUrl", where) or "",
        access_token=_json.text(record, "accessToken", where) or "",
        user=_json.text(record, "user", where) or "",
        password=_json.text(record, "password", where) or "",
        is_default=_json.flag(record, "isDefault", where),
    )


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
        servers = [s for s in self._read() if s.artifactory_url or s.url]
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

    def _read(self) -> list[_Server]:
        try:
            data = self._path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise self._error(f"cannot be read ({reason})", hint=_HOW) from exc
        try:
            top = _json.as_object(_json.parse(data), "")
            if _json.flag(top, "enc", ""):
                raise self._error("is encrypted with JFrog CLI's master key", hint=_HOW)
            raw = _json.items(top, "servers")
            servers = [_server(item, f"servers[{i}]") for i, item in enumerate(raw)]
        except _json.ShapeError as exc:
            raise self._error(f"has an unexpected shape: {exc}", hint=_HOW) from exc
        except _json.NotJsonError as exc:
            raise self._error(
                "is not JSON: JFrog CLI may have encrypted it with its master key", hint=_HOW
            ) from exc
        if any(s.access_token or s.password for s in servers):
            warn_if_readable_by_others(self._path)  # its secrets are in use
        return servers

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
