"""``~/.frogml/config.json``: the servers ``frogml login`` saved, one of them the default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from frogml.adapters.credentials import _format
from frogml.adapters.credentials._atomic import warn_if_readable_by_others, write_private
from frogml.adapters.credentials._format import ConfigDocument, ServerRecord
from frogml.domain.errors import ConfigurationError
from frogml.domain.model.server import same_server
from frogml.domain.ports.credentials import (
    Credentials,
    CredentialSource,
    CredentialStore,
    ServerEntry,
)
from frogml.domain.services.login import server_id_for

__all__ = ["FrogMLConfigFile"]

_REPAIR_HINT = "run `frogml login` to repair it; it keeps a copy of the damaged file"
_ACCESS_HINT = "fix or delete it, then run `frogml login`"


class FrogMLConfigFile(CredentialSource, CredentialStore):
    """The config file at ``path``; an absent file configures nothing.

    Fields it does not know (a newer frogml's) are ignored and kept when it rewrites the
    file; a damaged file is an error until :meth:`repair` (run by ``frogml login``).
    """

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
                server_id=_id_of(record),
                credentials=_credentials(record, source),
                is_default=index == marked,
            )
            for index, record in enumerate(records)
        ]

    def save(self, server_id: str, credentials: Credentials) -> None:
        document = self._read()
        old = next((r for r in document.servers if _id_of(r) == server_id), None)
        others = tuple(
            replace(r, is_default=False) for r in document.servers if _id_of(r) != server_id
        )
        new = ServerRecord(
            server_id=server_id,
            artifactory_url=credentials.url,
            user=credentials.user,
            password=credentials.password,
            access_token=credentials.access_token,
            is_default=True,
            extra=_extra_kept(old, credentials.url),
        )
        self._write(replace(document, servers=(*others, new)))

    def remove(self, server_id: str | None = None) -> ServerEntry | None:
        entries = self.servers()
        gone = next(
            (e for e in entries if (e.server_id == server_id if server_id else e.is_default)),
            None,
        )
        if gone is None:
            return None
        document = self._read()
        kept = tuple(r for r in document.servers if _id_of(r) != gone.server_id)
        if kept or document.extra:
            self._write(replace(document, servers=kept))
        else:
            self._delete()
        return gone

    def repair(self) -> str | None:
        """Make a damaged file readable: copy it to ``config.json.bak``, then keep only the
        servers it still holds (the first of an id listed twice) and its unknown fields.
        Where the copy is; None when the file is absent or sound."""
        data = self._bytes()
        if data is None:
            return None
        try:
            self._parse(data)
            return None
        except ConfigurationError:
            pass
        backup = self._path.with_name(f"{self._path.name}.bak")
        self._put(backup, data)
        salvaged = _format.salvage(data)
        self._write(replace(salvaged, servers=_first_of_each_id(salvaged.servers)))
        return str(backup)

    # -- the file ---------------------------------------------------------------------
    def _bytes(self) -> bytes | None:
        try:
            data = self._path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise self._error(f"cannot be read ({reason})", _ACCESS_HINT) from exc
        return data

    def _read(self) -> ConfigDocument:
        data = self._bytes()
        if data is None:
            return ConfigDocument()
        document = self._parse(data)
        if any(r.password or r.access_token for r in document.servers):
            warn_if_readable_by_others(self._path)  # its secrets are in use
        return document

    def _parse(self, data: bytes) -> ConfigDocument:
        try:
            document = _format.decode(data)
        except _format.NotJsonError as exc:
            raise self._error("is not valid JSON", _REPAIR_HINT) from exc
        except _format.ShapeError as exc:
            raise self._error(f"is invalid: {exc}", _REPAIR_HINT) from exc
        ids = [_id_of(record) for record in document.servers]
        twice = next((i for n, i in enumerate(ids) if i in ids[:n]), None)
        if twice is not None:
            raise self._error(f"lists the server id {twice!r} twice", _REPAIR_HINT)
        return document

    def _write(self, document: ConfigDocument) -> None:
        self._put(self._path, _format.encode(document))

    def _put(self, path: Path, data: bytes) -> None:
        try:
            write_private(path, data)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise self._error(f"cannot be written ({reason})", _ACCESS_HINT) from exc

    def _delete(self) -> None:
        try:
            self._path.unlink(missing_ok=True)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise self._error(f"cannot be removed ({reason})", _ACCESS_HINT) from exc

    def _error(self, what: str, hint: str) -> ConfigurationError:
        return ConfigurationError(
            f"the frogml config file {self._path} {what}", source=str(self._path), hint=hint
        )


def _id_of(record: ServerRecord) -> str:
    return record.server_id or server_id_for(record.artifactory_url)


def _extra_kept(old: ServerRecord | None, url: str) -> Mapping[str, object]:
    # a newer frogml's settings for the server stay, unless the id now names another one
    if old is None or not same_server(old.artifactory_url, url):
        return {}
    return old.extra


def _first_of_each_id(records: tuple[ServerRecord, ...]) -> tuple[ServerRecord, ...]:
    seen: set[str] = set()
    kept: list[ServerRecord] = []
    for record in records:
        if _id_of(record) not in seen:
            seen.add(_id_of(record))
            kept.append(record)
    return tuple(kept)


def _credentials(record: ServerRecord, source: str) -> Credentials:
    return Credentials(
        url=record.artifactory_url.strip(),
        user=record.user,
        password=record.password,
        access_token=record.access_token,
        source=source,
    )
