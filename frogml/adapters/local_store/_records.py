"""The store's small JSON files: manifests, properties, and a transaction's uploads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
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
    "read_upload_keys",
    "read_uploads",
    "upload_key",
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
    return {(upload.area, upload.path): upload.sha256 for upload in _uploads(path)}


def upload_key(area: Area, path: str, sha256: str) -> bytes:
    """A compact key of one stored file (16 bytes): checking a manifest of 100,000s of
    files against its transaction holds these, not the decoded records."""
    record = f"{area.value}\0{path}\0{sha256}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(record, digest_size=16).digest()


def read_upload_keys(path: Path) -> set[bytes]:
    """:func:`upload_key` of each file a transaction stored (empty when nothing)."""
    return {upload_key(u.area, u.path, u.sha256) for u in _uploads(path)}


def _uploads(path: Path) -> Iterator[Upload]:
    """The records of ``path``, read a line at a time."""
    try:
        with open(path, "rb") as lines:
            for line in lines:
                try:
                    yield _upload_decoder.decode(line)
                except msgspec.DecodeError as exc:
                    raise ProtocolError(f"corrupt transaction record {str(path)!r}: {exc}") from exc
    except FileNotFoundError:
        return
    except OSError as exc:
        raise store_error(path, exc) from exc


class _Dated(msgspec.Struct):
    """A manifest read for its date alone: its list of files is skipped, not decoded."""

    created_date: str


_dated_decoder = msgspec.json.Decoder(_Dated)


def created_of(manifest_file: Path, folder: Path) -> datetime:
    """When the version in ``folder`` was created: its manifest's date, else (a damaged
    or hand-made manifest) the folder's mtime. Only the date is decoded, so listing
    versions stays cheap when each holds 100,000s of files."""
    try:
        dated = _dated_decoder.decode(manifest_file.read_bytes())
        parsed = datetime.strptime(dated.created_date, "%Y-%m-%dT%H:%M:%S.%f")
        return parsed.replace(tzinfo=timezone.utc)
    except (OSError, msgspec.DecodeError, ValueError):
        return datetime.fromtimestamp(folder.stat().st_mtime, tz=timezone.utc)
