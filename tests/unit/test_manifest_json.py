"""The manifest JSON, as on the protocol page."""

from __future__ import annotations

import json

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from frogml.domain.errors import ValidationError
from frogml.domain.model.manifest import Artifact, DatasetInfo, ModelInfo
from frogml.domain.model.manifest_json import (
    decode_dataset_info,
    decode_model_info,
    encode_manifest,
)
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.model.names import check_artifact_path

FORMAT = SerializationMetadata(
    framework="pytorch",
    framework_version="2.5.1",
    serialization_format="pt",
    runtime="python",
    runtime_version="3.11",
)
SHA = "ab" * 32

_segment = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"),
    min_size=1,
    max_size=6,
).filter(lambda s: s.strip(" \u00a0") not in ("", ".", ".."))


def _safe(path: str) -> bool:
    try:
        check_artifact_path(path)
    except ValidationError:
        return False
    return True


paths = st.lists(_segment, min_size=1, max_size=3).map("/".join).filter(_safe)
artifacts = st.builds(
    Artifact,
    artifact_path=paths,
    size=st.integers(min_value=0, max_value=2**40),
    sha256=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
)


def _valid(items: list[Artifact]) -> bool:
    try:
        DatasetInfo(created_date="d", dataset_artifacts=tuple(items))
    except ValidationError:
        return False
    return True


@given(st.lists(artifacts, min_size=1, max_size=5).filter(_valid))
def test_a_dataset_manifest_survives_a_json_round_trip(items: list[Artifact]) -> None:
    manifest = DatasetInfo(created_date="2026-11-27T09:15:02.12", dataset_artifacts=tuple(items))
    assert decode_dataset_info(encode_manifest(manifest)) == manifest


@given(st.lists(artifacts, min_size=1, max_size=4).filter(_valid), st.booleans())
def test_a_model_manifest_survives_a_json_round_trip(items: list[Artifact], code: bool) -> None:
    manifest = ModelInfo(
        created_date="2026-11-27T09:15:02.12",
        model_artifacts=tuple(items),
        model_format=FORMAT,
        dependency_artifacts=(Artifact(artifact_path="requirements.txt", size=3, sha256=SHA),),
        code_artifact=Artifact(artifact_path="code.zip", size=9, sha256=SHA) if code else None,
    )
    assert decode_model_info(encode_manifest(manifest)) == manifest


def test_the_written_json_has_exactly_the_documented_fields() -> None:
    manifest = ModelInfo(
        created_date="2026-11-27T09:15:02.12",
        model_artifacts=(Artifact(artifact_path="weights/model.pt", size=1234, sha256=SHA),),
        model_format=FORMAT,
        code_artifact=Artifact(artifact_path="code.zip", size=99, sha256=SHA),
    )
    document = json.loads(encode_manifest(manifest))
    assert document == {
        "created_date": "2026-11-27T09:15:02.12",
        "model_artifacts": [
            {"artifact_path": "weights/model.pt", "size": 1234, "checksums": {"sha2": SHA}}
        ],
        "model_format": {
            "framework": "pytorch",
            "framework_version": "2.5.1",
            "serialization_format": "pt",
            "runtime": "python",
            "runtime_version": "3.11",
        },
        "code_artifacts": {"artifact_path": "code.zip", "size": 99, "checksums": {"sha2": SHA}},
    }


def test_a_reader_accepts_code_artifacts_as_a_list_and_ignores_unknown_fields() -> None:
    document = {
        "id": "fraud",
        "version": "1.0",
        "created_date": "d",
        "model_artifacts": [
            {
                "artifact_path": "m.pt",
                "size": 1,
                "checksums": {"sha2": SHA, "sha1": "x"},
                "download_url": "https://h/artifactory/r/models/fraud/1.0/model/m.pt",
            }
        ],
        "model_format": FORMAT.__struct_fields__
        and {f: getattr(FORMAT, f) for f in FORMAT.__struct_fields__},
        "code_artifacts": [{"artifact_path": "c.zip", "size": 2, "checksums": {"sha2": SHA}}],
    }
    manifest = decode_model_info(json.dumps(document).encode())
    assert manifest.code_artifact is not None
    assert manifest.code_artifact.artifact_path == "c.zip"
    assert manifest.model_artifacts[0].download_url is not None


@pytest.mark.parametrize(
    "bad",
    [
        b"not json",
        b"{}",
        b'{"created_date": "d", "dataset_artifacts": []}',
        b'{"created_date": "d", "dataset_artifacts": [{"artifact_path": "../x", "size": 1,'
        b' "checksums": {"sha2": "' + SHA.encode() + b'"}}]}',
        b'{"created_date": "d", "dataset_artifacts": [{"artifact_path": "x", "size": -1,'
        b' "checksums": {"sha2": "' + SHA.encode() + b'"}}]}',
        b'{"created_date": "d", "dataset_artifacts": [{"artifact_path": "x", "size": 1,'
        b' "checksums": {"sha2": "nothex"}}]}',
    ],
)
def test_malformed_or_unsafe_manifests_are_refused(bad: bytes) -> None:
    with pytest.raises(ValidationError):
        decode_dataset_info(bad)


def test_a_path_used_as_file_and_folder_is_refused() -> None:
    with pytest.raises(ValidationError, match="both as a file and a folder"):
        DatasetInfo(
            created_date="d",
            dataset_artifacts=(
                Artifact(artifact_path="a", size=1, sha256=SHA),
                Artifact(artifact_path="a/b", size=1, sha256=SHA),
            ),
        )


def test_serialization_metadata_requires_every_field() -> None:
    with pytest.raises(ValidationError, match="missing runtime_version"):
        SerializationMetadata.coerce(
            {
                "framework": "a",
                "framework_version": "1",
                "serialization_format": "x",
                "runtime": "python",
            }
        )
    with pytest.raises(ValidationError, match="non-empty"):
        SerializationMetadata.coerce(
            {
                "framework": " ",
                "framework_version": "1",
                "serialization_format": "x",
                "runtime": "python",
                "runtime_version": "3",
            }
        )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (3.7, "model_type.framework_version must be a string, got 3.7"),
        (None, "model_type.framework_version must be a string, got None"),
        ("", "model_type.framework_version must be a non-empty string, got ''"),
    ],
)
def test_serialization_metadata_of_the_wrong_type_is_refused_in_plain_words(
    value: object, message: str
) -> None:
    given = {
        "framework": "sklearn",
        "framework_version": value,
        "serialization_format": "pkl",
        "runtime": "python",
        "runtime_version": "3.11",
    }
    with pytest.raises(ValidationError) as caught:
        SerializationMetadata.coerce(given)
    assert str(caught.value) == message
    assert caught.value.field == "model_type.framework_version"


@pytest.mark.parametrize("count", [1, 1023, 1024, 1025, 2049])  # around the batches
@pytest.mark.parametrize("with_urls", [False, True])
def test_a_manifest_written_in_pieces_is_the_whole_documents_json(
    count: int, with_urls: bool
) -> None:
    artifacts = tuple(
        Artifact(f"d/f{i}.bin", i, SHA, download_url=f"https://h/f{i}" if i % 2 else None)
        for i in range(count)
    )
    deps = (Artifact("requirements.txt", 5, SHA),)
    model = ModelInfo("2026", artifacts, FORMAT, dependency_artifacts=deps)
    dataset = DatasetInfo(created_date="2026", dataset_artifacts=artifacts)

    def wire(a: Artifact) -> dict[str, object]:
        url = {"download_url": a.download_url} if with_urls and a.download_url else {}
        return {"artifact_path": a.artifact_path, "size": a.size, "checksums": {"sha2": SHA}, **url}

    expected_model = {
        "created_date": "2026",
        "model_artifacts": [wire(a) for a in artifacts],
        "model_format": msgspec.to_builtins(FORMAT),
        "dependency_artifacts": [wire(a) for a in deps],
    }
    expected_dataset = {"created_date": "2026", "dataset_artifacts": [wire(a) for a in artifacts]}
    assert encode_manifest(model, with_urls=with_urls) == msgspec.json.encode(expected_model)
    assert encode_manifest(dataset, with_urls=with_urls) == msgspec.json.encode(expected_dataset)
