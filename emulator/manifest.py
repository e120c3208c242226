"""ML manifests: where each artifact lives, validation, and the enriched read form."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import quote

import msgspec

from .errors import ApiError
from .storage import clean_path

__all__ = [
    "NAME_RE",
    "ArtifactRef",
    "Located",
    "MlKind",
    "enrich",
    "kind_of",
    "locate",
    "parse_manifest",
]

NAME_RE = re.compile(r"^[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*$")


class MlKind(msgspec.Struct, frozen=True, kw_only=True):
    type: Literal["model", "dataset"]
    top: str  # the entity's top folder: models | datasets
    files: str  # sub-folder of the main files: model | dataset
    part: str  # multipart part holding the manifest
    manifest_file: str  # stored next to the published files, as Artifactory does
    artifacts: str  # the manifest's field listing the main files


_KINDS = {
    "model": MlKind(
        type="model",
        top="models",
        files="model",
        part="modelManifest",
        manifest_file="model-manifest.json",
        artifacts="model_artifacts",
    ),
    "dataset": MlKind(
        type="dataset",
        top="datasets",
        files="dataset",
        part="datasetManifest",
        manifest_file="dataset-manifest.json",
        artifacts="dataset_artifacts",
    ),
}


def kind_of(type_: str) -> MlKind:
    kind = _KINDS.get(type_)
    if kind is None:
        raise ApiError(
            400, f"Unsupported machine learning type '{type_}': expected model or dataset"
        )
    return kind


class Checksums(msgspec.Struct, kw_only=True):
    sha2: str | None = None


class ArtifactRef(msgspec.Struct, kw_only=True):
    artifact_path: str
    size: int
    checksums: Checksums = msgspec.field(default_factory=Checksums)


class Located(msgspec.Struct, frozen=True, kw_only=True):
    """One manifest artifact and its path below the transaction / version folder."""

    ref: ArtifactRef
    rel: str  # e.g. model/weights/model.pt, dependencies/requirements.txt, code/code.zip


def _refs(value: object, field: str) -> list[ArtifactRef]:
    items = value if isinstance(value, list) else [value]
    try:
        return [msgspec.convert(item, ArtifactRef) for item in items]
    except msgspec.ValidationError as exc:
        raise ApiError(400, f"Invalid manifest: {field}: {exc}") from None


def _rel(folder: str, artifact_path: str, *, base_name: bool) -> str:
    path = artifact_path.replace("\\", "/")
    if base_name:
        path = path.rsplit("/", 1)[-1]
    if not path.strip() or path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        raise ApiError(400, f"Invalid manifest: bad artifact_path '{artifact_path}'")
    return f"{folder}/{clean_path(path)}"


def _sections(kind: MlKind) -> list[tuple[str, str, bool]]:
    """(manifest field, folder, stored by base name) of each artifact list."""
    sections = [(kind.artifacts, kind.files, False)]
    if kind.type == "model":
        sections += [
            ("dependency_artifacts", "dependencies", True),
            ("code_artifacts", "code", True),
        ]
    return sections


def locate(kind: MlKind, manifest: dict[str, object]) -> list[Located]:
    """Every artifact the manifest names; dependencies and code go by base name."""
    sections = _sections(kind)
    found: list[Located] = []
    for field, folder, base_name in sections:
        value = manifest.get(field)
        if value is None:
            continue
        for ref in _refs(value, field):
            found.append(Located(ref=ref, rel=_rel(folder, ref.artifact_path, base_name=base_name)))
    return found


def parse_manifest(data: bytes) -> dict[str, object]:
    try:
        manifest = msgspec.json.decode(data)
    except msgspec.DecodeError as exc:
        raise ApiError(400, f"Invalid manifest JSON: {exc}") from None
    if not isinstance(manifest, dict):
        raise ApiError(400, "Invalid manifest: expected a JSON object")
    return manifest


def enrich(
    kind: MlKind,
    manifest: dict[str, object],
    *,
    entity: str,
    version: str,
    version_url: str,
    encoded: bool = False,
) -> dict[str, object]:
    """The read form: `id`, `version`, a `download_url` per artifact, code as a list.

    Artifactory writes the URLs raw, not percent-encoded (spaces, unicode, even `#` or
    `;` inside a name: RTFACT-9137); `encoded` gives the form other servers send.
    """
    out = dict(manifest)
    out["id"] = entity
    out["version"] = version
    sections = _sections(kind)
    for field, folder, base_name in sections:
        value = manifest.get(field)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        enriched = []
        for item in items:
            assert isinstance(item, dict)  # checked at commit time
            rel = _rel(folder, str(item["artifact_path"]), base_name=base_name)
            url = f"{version_url}/{quote(rel) if encoded else rel}"
            enriched.append({**item, "download_url": url})
        out[field] = enriched
    return out
