"""The manifests' JSON, field for field as on the protocol page.

Writers produce exactly the documented fields; readers ignore unknown fields (the
server adds ``id``, ``version`` and ``download_url``) and accept ``code_artifacts``
both as an object and as a list.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from frogml.domain.errors import ValidationError
from frogml.domain.model.manifest import Artifact, DatasetInfo, ModelInfo
from frogml.domain.model.metadata import SerializationMetadata

__all__ = [
    "decode_dataset_info",
    "decode_model_info",
    "encode_manifest",
    "encode_manifest_chunks",
    "manifest_to_dict",
]


# The wire records: decoders read them; encode_manifest_chunks writes the same fields
# in the same order, a batch of artifacts at a time (a test holds the two together).
class _Checksums(msgspec.Struct):
    sha2: str


class _Artifact(msgspec.Struct, omit_defaults=True):
    artifact_path: str
    size: int
    checksums: _Checksums
    download_url: str | None = None


class _Format(msgspec.Struct):
    framework: str
    framework_version: str
    serialization_format: str
    runtime: str
    runtime_version: str


class _ModelInfo(msgspec.Struct, omit_defaults=True):
    created_date: str
    model_artifacts: list[_Artifact]
    model_format: _Format
    dependency_artifacts: list[_Artifact] | None = None
    code_artifacts: _Artifact | list[_Artifact] | None = None


class _DatasetInfo(msgspec.Struct):
    created_date: str
    dataset_artifacts: list[_Artifact]


_model_decoder = msgspec.json.Decoder(_ModelInfo)
_dataset_decoder = msgspec.json.Decoder(_DatasetInfo)
_encoder = msgspec.json.Encoder()
_BATCH = 1024  # artifacts encoded at a time


def _to_wire(artifact: Artifact, *, with_url: bool) -> _Artifact:
    return _Artifact(
        artifact_path=artifact.artifact_path,
        size=artifact.size,
        checksums=_Checksums(sha2=artifact.sha256),
        download_url=artifact.download_url if with_url else None,
    )


def _from_wire(artifact: _Artifact) -> Artifact:
    sha2 = artifact.checksums.sha2
    return Artifact(
        artifact_path=artifact.artifact_path,
        size=artifact.size,
        sha256=sha2 if sha2.islower() else sha2.lower(),  # no second copy of each hash
        download_url=artifact.download_url,
    )


def _all_from_wire(artifacts: list[_Artifact] | None) -> tuple[Artifact, ...]:
    """The artifacts, each wire record let go as soon as it is converted: a manifest of
    100,000s of files is not held twice (decoded records and artifacts) at its peak."""
    if not artifacts:
        return ()
    artifacts.reverse()
    converted: list[Artifact] = []
    while artifacts:
        converted.append(_from_wire(artifacts.pop()))
    return tuple(converted)


def encode_manifest(manifest: ModelInfo | DatasetInfo, *, with_urls: bool = False) -> bytes:
    """The manifest as JSON bytes; ``download_url`` is written only when asked."""
    return b"".join(encode_manifest_chunks(manifest, with_urls=with_urls))


def encode_manifest_chunks(
    manifest: ModelInfo | DatasetInfo, *, with_urls: bool = False
) -> list[bytes]:
    """The manifest's JSON as :func:`encode_manifest` writes it, in pieces (to be sent
    or written one after another).

    The artifacts are encoded a batch at a time, so that beside the manifest itself
    only its JSON grows with the number of files: no wire record per file held at
    once, and no buffer grown (and over-allocated) to the whole size.
    """
    chunks: list[bytes] = []

    def field(name: bytes, value: object) -> None:
        chunks.append(b',"%s":' % name)
        chunks.append(_encoder.encode(value))

    def artifacts(name: bytes, items: tuple[Artifact, ...]) -> None:
        chunks.append(b',"%s":[' % name)
        for start in range(0, len(items), _BATCH):
            batch = [_to_wire(a, with_url=with_urls) for a in items[start : start + _BATCH]]
            encoded = _encoder.encode(batch)
            chunks.append(encoded[1:-1] if not start else b"," + encoded[1:-1])
        chunks.append(b"]")

    chunks.append(b'{"created_date":')
    chunks.append(_encoder.encode(manifest.created_date))
    if isinstance(manifest, DatasetInfo):
        artifacts(b"dataset_artifacts", manifest.dataset_artifacts)
        chunks.append(b"}")
        return chunks
    artifacts(b"model_artifacts", manifest.model_artifacts)
    field(b"model_format", msgspec.convert(msgspec.to_builtins(manifest.model_format), _Format))
    if manifest.dependency_artifacts:
        artifacts(b"dependency_artifacts", manifest.dependency_artifacts)
    code = manifest.code_artifact
    if code is not None:
        field(b"code_artifacts", _to_wire(code, with_url=with_urls))
    chunks.append(b"}")
    return chunks


def manifest_to_dict(manifest: ModelInfo | DatasetInfo) -> dict[str, Any]:
    """The manifest as JSON-ready builtins, field for field as on the protocol page."""
    return msgspec.json.decode(encode_manifest(manifest, with_urls=True), type=dict[str, Any])


_T = TypeVar("_T")


def _decode(decoder: msgspec.json.Decoder[_T], data: bytes, what: str) -> _T:
    try:
        return decoder.decode(data)
    except msgspec.DecodeError as exc:
        raise ValidationError(f"malformed {what}: {exc}", field=what) from exc


def decode_model_info(data: bytes) -> ModelInfo:
    """Parse a model manifest; raise :class:`ValidationError` when it is malformed or unsafe."""
    wire = _decode(_model_decoder, data, "model manifest")
    code = wire.code_artifacts
    if isinstance(code, list):
        if len(code) > 1:
            raise ValidationError("model manifest lists more than one code archive")
        code = code[0] if code else None
    return ModelInfo(
        created_date=wire.created_date,
        model_artifacts=_all_from_wire(wire.model_artifacts),
        model_format=SerializationMetadata(**msgspec.structs.asdict(wire.model_format)),
        dependency_artifacts=_all_from_wire(wire.dependency_artifacts),
        code_artifact=None if code is None else _from_wire(code),
    )


def decode_dataset_info(data: bytes) -> DatasetInfo:
    """Parse a dataset manifest; raise :class:`ValidationError` when it is malformed or unsafe."""
    wire = _decode(_dataset_decoder, data, "dataset manifest")
    return DatasetInfo(
        created_date=wire.created_date,
        dataset_artifacts=_all_from_wire(wire.dataset_artifacts),
    )
