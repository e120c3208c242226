"""Building a version folder in staging and publishing it with one rename."""

from __future__ import annotations

import os
from pathlib import Path

from frogml.adapters.local_store._blob_keys import record_key
from frogml.adapters.local_store._blobs import has_blob
from frogml.adapters.local_store._disk import exclusive, fsync_dir, link_or_copy, write_durably
from frogml.adapters.local_store._layout import PROPERTIES_FILE, Layout
from frogml.adapters.local_store._records import (
    encode_properties,
    read_upload_keys,
    upload_key,
)
from frogml.domain.errors import AlreadyExistsError, IntegrityError, ValidationError
from frogml.domain.model.entity import EntityRef
from frogml.domain.model.manifest import Manifest
from frogml.domain.model.manifest_json import encode_manifest_chunks

__all__ = ["UPLOADS_FILE", "build_version", "publish_version"]

UPLOADS_FILE = "uploads.jsonl"


def build_version(
    layout: Layout,
    staging: Path,
    ref: EntityRef,
    manifest: Manifest,
    properties: dict[str, str],
) -> Path:
    """The complete version folder, inside ``staging``; every file checked against its blob."""
    uploaded = read_upload_keys(staging / UPLOADS_FILE)
    build = staging / "version"
    build.mkdir()
    for area, artifact in manifest.entries():
        if upload_key(area, artifact.artifact_path, artifact.sha256) not in uploaded:
            raise ValidationError(
                f"the manifest names {artifact.artifact_path!r}, which this transaction "
                "did not upload with that SHA-256",
                field="manifest",
            )
        blob = layout.blob(artifact.sha256)
        if not has_blob(layout, artifact.sha256, artifact.size):
            raise IntegrityError(
                f"blob {str(blob)!r} of {artifact.artifact_path!r} is missing or damaged",
                path=artifact.artifact_path,
                expected=artifact.sha256,
            )
        try:
            link_or_copy(blob, build / area.value / artifact.artifact_path)
            record_key(layout, artifact.sha256)  # the link moved the blob's ctime
        except FileExistsError as exc:
            raise ValidationError(
                f"this disk takes {artifact.artifact_path!r} and another file of the "
                "manifest for the same file",
                field="manifest",
                hint="rename one of them",
            ) from exc
    write_durably(build / ref.kind.manifest_file, encode_manifest_chunks(manifest))
    write_durably(build / PROPERTIES_FILE, encode_properties(properties))
    return build


def publish_version(layout: Layout, ref: EntityRef, build: Path) -> None:
    """Rename ``build`` to the version's folder, or raise AlreadyExistsError."""
    final = layout.version(ref)
    with exclusive(layout.lock_file):
        if final.exists():
            raise AlreadyExistsError(f"{ref.describe()} is already published", what="version")
        final.parent.mkdir(parents=True, exist_ok=True)
        os.rename(build, final)
        fsync_dir(final.parent)
