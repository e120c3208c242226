"""The store's small JSON files: manifests, properties, and a transaction's uploads."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import msgspec

from frogml.adapters.local_store._disk import store_error
from frogml.domain.errors import FrogMLError, ProtocolError
from frogml.domain.model.entity import EntityKind
from frogml.domain.model.manifest import Manifest
from frogml.domain.model.manifest_json import decode_dataset_info, decode_model_info
from frogml.domain.ports.artifact_store import Area

__all__ = [
    "Upload",
    "created_of",
    "encode_properties",
    "encode_upload",
    "read_manifest",
    "read_properties",
    "read_uploads",
]

_DAMAGED = "the local store is damaged; remove that version folder or restore it"


class Upload(msgspec.Struct, frozen=True):
    """One file a transaction stored: the manifest may name only such files."""

    area: Area
    path: str
    sha256: str


_properties_decoder = msgspec.json.Decoder(dict[str, str])
_upload_decoder = msgspec.json.Decoder(Upload)
_encoder = msgspec.json.Encoder(order="sorted")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise store_error(path, exc) from exc


def read_manifest(path: Path, kind: EntityKind) -> Manifest:
    """Decode a stored manifest; a damaged one is a ProtocolError naming the file."""
    data = _read(path)
    try:
        if kind is EntityKind.MODEL:
            return decode_model_info(data)
        return decode_dataset_info(data)
    except FrogMLError as exc:
        raise ProtocolError(f"corrupt manifest {str(path)!r}: {exc}", hint=_DAMAGED) from exc


def read_properties(path: Path) -> dict[str, str]:
    try:
        return _properties_decoder.decode(_read(path))
    except msgspec.DecodeError as exc:
        raise ProtocolError(f"corrupt properties {str(path)!r}: {exc}", hint=_DAMAGED) from exc


def encode_properties(properties: dict[str, str]) -> bytes:
    return _encoder.encode(properties)


def encode_upload(upload: Upload) -> bytes:
    return _encoder.encode(upload) + b"\n"


def read_uploads(path: Path) -> dict[tuple[Area, str], str]:
    """``{(area, path): sha256}`` of what a transaction stored (empty when nothing)."""
    if not path.exists():
        return {}
    found: dict[tuple[Area, str], str] = {}
    for line in _read(path).splitlines():
        try:
            upload = _upload_decoder.decode(line)
        except msgspec.DecodeError as exc:
            raise ProtocolError(f"corrupt transaction record {str(path)!r}: {exc}") from exc
        found[(upload.area, upload.path)] = upload.sha256
    return found


def created_of(manifest: Manifest | None, folder: Path) -> datetime:
    """When a version was created: its manifest's date, else its folder's mtime."""
    if manifest is not None:
        try:
            parsed = datetime.strptime(manifest.created_date, "%Y-%m-%dT%H:%M:%S.%f")
            return parsed.replace(tzinfo=timezone.utc)
        except ValueError:
            pass  # a hand-made manifest: fall back to the folder's time
    return datetime.fromtimestamp(folder.stat().st_mtime, tz=timezone.utc)
