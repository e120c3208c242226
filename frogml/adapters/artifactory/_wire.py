"""The JSON answers of Artifactory, as private msgspec structs.

Readers are tolerant: unknown fields are ignored, fields frogml does not need are
optional. Decoders are built once, here.
"""

from __future__ import annotations

import msgspec

__all__ = [
    "DeployAnswer",
    "StartAnswer",
    "aql_decoder",
    "deploy_decoder",
    "list_decoder",
    "properties_decoder",
    "start_decoder",
    "token_decoder",
    "version_decoder",
]


class _Wire(msgspec.Struct, rename="camel", forbid_unknown_fields=False):
    pass


class StartAnswer(_Wire):
    files_upload_path: str
    dependencies_upload_path: str
    code_upload_path: str
    transaction_id: str | int
    lead_upload_path: str | None = None


class DeployChecksums(_Wire):
    sha256: str | None = None
    sha1: str | None = None


class DeployAnswer(_Wire):
    path: str | None = None
    size: str | int | None = None
    checksums: DeployChecksums | None = None


class ListEntry(_Wire):
    uri: str
    folder: bool = False
    last_modified: str | None = None
    size: int | None = None


class ListAnswer(_Wire):
    files: list[ListEntry]


class AqlItem(msgspec.Struct, forbid_unknown_fields=False):
    path: str
    name: str
    type: str = "file"


class AqlAnswer(msgspec.Struct, forbid_unknown_fields=False):
    results: list[AqlItem]


class PropertiesAnswer(_Wire):
    properties: dict[str, list[str]] = msgspec.field(default_factory=dict)


class VersionAnswer(_Wire):
    version: str
    revision: str | None = None


class TokenAnswer(msgspec.Struct, forbid_unknown_fields=False):
    access_token: str
    token_id: str | None = None
    expires_in: int | None = None
    scope: str | None = None
    token_type: str | None = None

    def __repr__(self) -> str:
        return f"TokenAnswer(token_id={self.token_id!r}, scope={self.scope!r})"


start_decoder = msgspec.json.Decoder(StartAnswer)
deploy_decoder = msgspec.json.Decoder(DeployAnswer)
list_decoder = msgspec.json.Decoder(ListAnswer)
properties_decoder = msgspec.json.Decoder(PropertiesAnswer)
version_decoder = msgspec.json.Decoder(VersionAnswer)
token_decoder = msgspec.json.Decoder(TokenAnswer)
aql_decoder = msgspec.json.Decoder(AqlAnswer)
