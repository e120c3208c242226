"""``~/.frogml/config.json``: the servers ``frogml login`` saved, one of them the default."""

from __future__ import annotations

from pathlib import Path

import msgspec

from frogml.adapters.credentials import _format
from frogml.adapters.credentials._atomic import write_private
from frogml.adapters.credentials._format import ConfigDocument, ServerRecord
from frogml.domain.errors import ConfigurationError
from frogml.domain.ports.credentials import (
    Credentials,
    CredentialSource,
    CredentialStore,
    ServerEntry,
)
from frogml.domain.services.login import server_id_for

__all__ = ["FrogMLConfigFile"]


class FrogMLConfigFile(CredentialSource, CredentialStore):
    """The config file at ``path``; an absent file configures nothing."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)

    @property
    def location(self) -> str:
        return str(self._path)

    def load(self) -> Credentials | None:
        for entry in self.servers():
            if entry.is_default:
                return entry.credentials
        return None

    def servers(self) -> list[ServerEntry]:
        records = self._read().servers
        marked = next((i for i, r in enumerate(records) if r.is_default), 0)
        source = f"config file {self._path}"
        return [
            ServerEntry(
                server_id=self._id_of(record),
                credentials=_credentials(record, source),
                is_default=index == marked,
            )
            for index, record in enumerate(records)
        ]

    def save(self, server_id: str, credentials: Credentials) -> None:
        records = [
            msgspec.structs.replace(r, is_default=False)
            for r in self._read().servers
            if self._id_of(r) != server_id
        ]
        new = ServerRecord(
            server_id=server_id,
            artifactory_url=credentials.url,
            user=credentials.user,
            password=credentials.password,
            access_token=credentials.access_token,
            is_default=True,
        )
        self._write(ConfigDocument(servers=[*records, new]))

    def remove(self, server_id: str | None = None) -> ServerEntry | None:
        entries = self.servers()
        gone = next(
            (e for e in entries if (e.server_id == server_id if server_id else e.is_default)),
            None,
        )
        if gone is None:
            return None
        kept = [r for r in self._read().servers if self._id_of(r) != gone.server_id]
        if kept:
            self._write(ConfigDocument(servers=kept))
        else:
            self._delete()
        return gone

    # -- the file ---------------------------------------------------------------------
    def _read(self) -> ConfigDocument:
        try:
            data = self._path.read_bytes()
        except FileNotFoundError:
            return ConfigDocument()
        except OSError as exc:
            raise self._error(f"cannot be read ({exc.strerror or type(exc).__name__})") from exc
        try:
            document = _format.decode(data)
        except msgspec.ValidationError as exc:
            raise self._error(f"is invalid: {exc}") from exc
        except msgspec.DecodeError as exc:
            raise self._error("is not valid JSON") from exc
        self._check_ids(document)
        return document

    def _check_ids(self, document: ConfigDocument) -> None:
        seen: set[str] = set()
        for record in document.servers:
            server_id = self._id_of(record)
            if server_id in seen:
                raise self._error(f"lists the server id {server_id!r} twice")
            seen.add(server_id)

    def _write(self, document: ConfigDocument) -> None:
        try:
            write_private(self._path, _format.encode(document))
        except OSError as exc:
            raise self._error(f"cannot be written ({exc.strerror or type(exc).__name__})") from exc

    def _delete(self) -> None:
        try:
            self._path.unlink(missing_ok=True)
        except OSError as exc:
            raise self._error(f"cannot be removed ({exc.strerror or type(exc).__name__})") from exc

    def _error(self, what: str) -> ConfigurationError:
        return ConfigurationError(
            f"the frogml config file {self._path} {what}",
            source=str(self._path),
            hint="fix or delete it, then run `frogml login`",
        )

    @staticmethod
    def _id_of(record: ServerRecord) -> str:
        return record.server_id or server_id_for(record.artifactory_url)


def _credentials(record: ServerRecord, source: str) -> Credentials:
    return Credentials(
        url=record.artifactory_url.strip(),
        user=record.user,
        password=record.password,
        access_token=record.access_token,
        source=source,
    )
