"""The format of ``~/.frogml/config.json``, a hand-written file: unknown keys are errors.

``{"servers": [{"server_id": "acme", "artifactory_url": "https://acme.jfrog.io/artifactory",
"access_token": "…"}]}``, or ``user`` + ``password`` instead of ``access_token``, or
neither for anonymous access; ``user`` may go with ``access_token`` (who the token
belongs to). ``"is_default": true`` marks the server in use; without it, the first.
"""

from __future__ import annotations

import msgspec

__all__ = ["ConfigDocument", "ServerRecord", "decode", "encode"]


class ServerRecord(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    server_id: str | None = None
    artifactory_url: str
    user: str | None = None
    password: str | None = None
    access_token: str | None = None
    is_default: bool = False

    def __post_init__(self) -> None:
        if not self.artifactory_url.strip():
            raise ValueError("artifactory_url is empty")
        if self.password is not None and not self.user:
            raise ValueError("a password needs a user")
        if self.password is not None and self.access_token is not None:
            raise ValueError("give an access_token or a user and password, not both")

    def __repr__(self) -> str:
        return f"ServerRecord(server_id={self.server_id!r}, url={self.artifactory_url!r})"


class ConfigDocument(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    servers: list[ServerRecord] = msgspec.field(default_factory=list)


_DECODER = msgspec.json.Decoder(ConfigDocument)
_ENCODER = msgspec.json.Encoder()


def decode(data: bytes) -> ConfigDocument:
    """Raises msgspec.DecodeError (not JSON) or msgspec.ValidationError (wrong shape)."""
    return _DECODER.decode(data)


def encode(document: ConfigDocument) -> bytes:
    return msgspec.json.format(_ENCODER.encode(document), indent=2) + b"\n"
