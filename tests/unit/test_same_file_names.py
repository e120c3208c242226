"""Names that one disk takes for the same file: refused, and never written through.

macOS folds case and Unicode normalization (``é`` as one code point, or ``e`` plus a
combining accent); Windows folds case. A manifest naming both spellings would have one
file overwrite the other on download, and in the embedded store the second hard link
would fail and fall back to a copy into the first one's blob.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from frogml.adapters.local_store._disk import link_or_copy
from frogml.domain.errors import ValidationError
from frogml.domain.model.manifest import Artifact, DatasetInfo

COMPOSED = "caf\u00e9.bin"
DECOMPOSED = "cafe\u0301.bin"


def _artifact(path: str, data: bytes) -> Artifact:
    return Artifact(artifact_path=path, size=len(data), sha256=hashlib.sha256(data).hexdigest())


def test_a_manifest_naming_one_file_in_two_unicode_forms_is_refused() -> None:
    with pytest.raises(ValidationError, match="differ only by Unicode normalization"):
        DatasetInfo(
            created_date="2026-01-02T03:04:05.00",
            dataset_artifacts=(_artifact(COMPOSED, b"a"), _artifact(DECOMPOSED, b"b")),
        )


def test_two_forms_as_file_and_folder_are_refused() -> None:
    with pytest.raises(ValidationError, match="both as a file and a folder"):
        DatasetInfo(
            created_date="2026-01-02T03:04:05.00",
            dataset_artifacts=(
                _artifact("caf\u00e9", b"a"),
                _artifact("cafe\u0301/x.bin", b"b"),
            ),
        )


def test_linking_onto_an_existing_name_never_writes_into_that_file(tmp_path: Path) -> None:
    first, second = tmp_path / "blob-a", tmp_path / "blob-b"
    first.write_bytes(b"AAAA")
    second.write_bytes(b"BBBB")
    os.chmod(first, 0o444)
    os.chmod(second, 0o444)
    link_or_copy(first, tmp_path / "version" / "f.bin")

    with pytest.raises(FileExistsError):
        link_or_copy(second, tmp_path / "version" / "f.bin")

    assert first.read_bytes() == b"AAAA"
    assert (tmp_path / "version" / "f.bin").read_bytes() == b"AAAA"
