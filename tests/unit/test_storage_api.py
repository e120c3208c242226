"""FrogMLStorage's own surface: path-like arguments, the kind as a value, one façade."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import msgspec
import pytest

from frogml import EntityKind, FrogMLStorage, SerializationMetadata
from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore, ManualClock
from frogml.domain.errors import ValidationError

FORMAT = SerializationMetadata(
    framework="numpy",
    framework_version="1.26",
    serialization_format="npy",
    runtime="python",
    runtime_version="3.11",
)


@pytest.fixture
def storage(tmp_path: Path) -> FrogMLStorage:
    return FrogMLStorage(env={"HOME": str(tmp_path), "FROGML_STORE_DIR": str(tmp_path / "s")})


def test_every_path_argument_takes_an_os_pathlike(storage: FrogMLStorage, tmp_path: Path) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "w.npy").write_bytes(b"\x01" * 10)
    (tmp_path / "requirements.txt").write_text("numpy\n")
    (tmp_path / "code.zip").write_bytes(b"PK")
    storage.upload_model_version(
        "ml-local",
        "m",
        tmp_path / "model",
        FORMAT,
        version="1",
        dependencies_files_paths=[tmp_path / "requirements.txt"],
        code_archive_file_path=tmp_path / "code.zip",
    )
    storage.upload_dataset_version("ml-local", "d", tmp_path / "model", version="1")
    storage.download_model_version(
        "ml-local", "m", "1", tmp_path / "out", with_dependencies=True, with_code=True
    )
    storage.download_dataset_version("ml-local", "d", "1", tmp_path / "data")
    assert (tmp_path / "out" / "w.npy").read_bytes() == b"\x01" * 10
    assert (tmp_path / "out" / "dependencies" / "requirements.txt").read_text() == "numpy\n"
    assert (tmp_path / "out" / "code" / "code.zip").read_bytes() == b"PK"
    assert (tmp_path / "data" / "w.npy").read_bytes() == b"\x01" * 10


def test_a_single_dependency_path_is_one_file_not_its_characters(
    storage: FrogMLStorage, tmp_path: Path
) -> None:
    (tmp_path / "w.npy").write_bytes(b"\x01")
    (tmp_path / "req.txt").write_text("numpy\n")
    version = storage.upload_model_version(
        "ml-local",
        "m",
        tmp_path / "w.npy",
        FORMAT,
        version="1",
        dependencies_files_paths=str(tmp_path / "req.txt"),
    )
    assert [a.artifact_path for a in version.manifest.dependency_artifacts] == ["req.txt"]


@pytest.mark.parametrize("bad", [42, b"/bytes/path", PurePosixPath])
def test_a_path_of_the_wrong_type_is_a_validation_error(
    storage: FrogMLStorage, bad: object
) -> None:
    with pytest.raises(ValidationError, match="source_path"):
        storage.upload_dataset_version("ml-local", "d", bad)  # type: ignore[arg-type]


def test_the_generic_reads_take_the_kind_as_a_value() -> None:
    disk = InMemoryFileSystem()
    disk.add_file("/d/a.csv", b"1")
    storage = FrogMLStorage(store=InMemoryStore(clock=ManualClock()), filesystem=disk)
    storage.upload_dataset_version("ml-local", "d", "/d", version="1")
    assert storage.get_info("dataset", "ml-local", "d", "1").kind is EntityKind.DATASET
    assert [v.version for v in storage.list_versions(EntityKind.DATASET, "ml-local", "d")] == ["1"]
    assert [e.name for e in storage.list_entities("dataset", "ml-local")] == ["d"]
    assert storage.list_entities("model", "ml-local") == []
    with pytest.raises(ValidationError, match="unknown kind 'space'"):
        storage.list_entities("space", "ml-local")


def test_a_model_type_of_the_wrong_type_is_refused_in_plain_words(
    storage: FrogMLStorage, tmp_path: Path
) -> None:
    (tmp_path / "w.npy").write_bytes(b"\x01")
    model_type = {**msgspec.structs.asdict(FORMAT), "framework_version": 3.7}
    with pytest.raises(ValidationError) as caught:
        storage.upload_model_version("ml-local", "m", tmp_path / "w.npy", model_type)
    assert str(caught.value) == "model_type.framework_version must be a string, got 3.7"
