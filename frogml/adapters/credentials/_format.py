"""The format of ``~/.frogml/config.json``, shared by every frogml version on a machine.

``{"servers": [{"server_id": "acme", "artifactory_url": "https://acme.jfrog.io/artifactory",
"access_token": "…"}]}``, or ``user`` + ``password`` instead of ``access_token``, or
neither for anonymous access; ``user`` may go with ``access_token`` (who the token
belongs to). ``"is_default": true`` marks the server in use; without it, the first.

A newer frogml may have written fields this one does not know: they are ignored when
reading and written back unchanged, at the top level and in each server. A known field
of the wrong type is an error in plain words (``servers[0].access_token must be text``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import msgspec

from frogml.adapters.credentials import _json
from frogml.adapters.credentials._json import NotJsonError, ShapeError

__all__ = [
    "ConfigDocument",
    "NotJsonError",
    "ServerRecord",
    "ShapeError",
    "decode",
    "encode",
    "salvage",
]

_SERVER_KEYS = ("server_id", "artifactory_url", "user", "password", "access_token", "is_default")
_TOP_KEYS = ("servers",)


@dataclass(frozen=True)
class ServerRecord:
    """One saved server; ``extra`` holds the fields of newer versions, to write back."""

    artifactory_url: str
    server_id: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    is_default: bool = False
    extra: Mapping[str, object] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class ConfigDocument:
    """The whole file; ``extra`` holds the top-level fields of newer versions."""

    servers: tuple[ServerRecord, ...] = ()
    extra: Mapping[str, object] = field(default_factory=dict, repr=False)


def _unknown(raw: Mapping[str, object], known: tuple[str, ...]) -> dict[str, object]:
    return {key: value for key, value in raw.items() if key not in known}


def _server(raw: object, where: str) -> ServerRecord:
    record = _json.as_object(raw, where)
    url = _json.text(record, "artifactory_url", where)
    if url is None:
        raise ShapeError(f"{where}.artifactory_url is missing")
    if not url.strip():
        raise ShapeError(f"{where}.artifactory_url is empty")
    server = ServerRecord(
        artifactory_url=url,
        server_id=_json.text(record, "server_id", where),
        user=_json.text(record, "user", where),
        password=_json.text(record, "password", where),
        access_token=_json.text(record, "access_token", where),
        is_default=_json.flag(record, "is_default", where),
        extra=_unknown(record, _SERVER_KEYS),
    )
    if server.password is not None and not server.user:
        raise ShapeError(f"{where}: a password needs a user")
    if server.password is not None and server.access_token is not None:
        raise ShapeError(f"{where}: give an access_token or a user and password, not both")
    return server


def decode(data: bytes) -> ConfigDocument:
    """The file's content; raises NotJsonError or ShapeError (both in plain words)."""
    top = _json.as_object(_json.parse(data), "")
    servers = _json.items(top, "servers")
    return ConfigDocument(
        servers=tuple(_server(raw, f"servers[{i}]") for i, raw in enumerate(servers)),
        extra=_unknown(top, _TOP_KEYS),
    )


def salvage(data: bytes) -> ConfigDocument:
    """What a damaged file still holds: its valid servers and unknown top-level fields."""
    try:
        top = _json.as_object(_json.parse(data), "")
    except (NotJsonError, ShapeError):
        return ConfigDocument()
    try:
        raw_servers = _json.items(top, "servers")
    except ShapeError:
        raw_servers = []
    kept: list[ServerRecord] = []
    for index, raw in enumerate(raw_servers):
        with contextlib.suppress(ShapeError):
            kept.append(_server(raw, f"servers[{index}]"))
    return ConfigDocument(servers=tuple(kept), extra=_unknown(top, _TOP_KEYS))


def _server_json(record: ServerRecord) -> dict[str, object]:
    known: dict[str, object] = {
        "server_id": record.server_id,
        "artifactory_url": record.artifactory_url,
        "user": record.user,
        "password": record.password,
        "access_token": record.access_token,
        "is_default": record.is_default or None,
    }
    return {**{k: v for k, v in known.items() if v is not None}, **record.extra}


def encode(document: ConfigDocument) -> bytes:
    data = {"servers": [_server_json(s) for s in document.servers], **document.extra}
    return msgspec.json.format(msgspec.json.encode(data), indent=2) + b"\n"
