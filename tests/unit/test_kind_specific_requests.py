"""The kind's own request methods (``upload_model``, ``download_dataset``, ...) take only
a request of their kind, and an upload's result has the type of the version it published."""

from __future__ import annotations

import pytest

from frogml import (
    DatasetVersion,
    DownloadDatasetRequest,
    DownloadModelRequest,
    DownloadResult,
    EntityKind,
    FrogMLStorage,
    ModelVersion,
    SerializationMetadata,
    UploadDatasetRequest,
    UploadDatasetResult,
    UploadModelRequest,
    UploadModelResult,
    UploadRequest,
    UploadResult,
)
from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore, ManualClock
from frogml.domain.errors import ValidationError
from frogml.domain.services.upload import Upload

FORMAT = SerializationMetadata(
    framework="numpy",
    framework_version="1.26",
    serialization_format="npy",
    runtime="python",
    runtime_version="3.11",
)


@pytest.fixture
def disk() -> InMemoryFileSystem:
    disk = InMemoryFileSystem()
    disk.add_file("/src/w.npy", b"\x01" * 10)
    return disk


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore(clock=ManualClock())


@pytest.fixture
def storage(store: InMemoryStore, disk: InMemoryFileSystem) -> FrogMLStorage:
    return FrogMLStorage(store=store, filesystem=disk)


def _model(version: str = "1") -> UploadModelRequest:
    return UploadModelRequest(
        repository="ml-local", name="m", source_path="/src", version=version, model_format=FORMAT
    )


def _dataset(version: str = "1") -> UploadDatasetRequest:
    return UploadDatasetRequest(
        repository="ml-local", name="d", source_path="/src", version=version
    )


def test_upload_dataset_refuses_a_model_request_and_publishes_nothing(
    storage: FrogMLStorage, store: InMemoryStore
) -> None:
    with pytest.raises(ValidationError, match=r"upload_dataset\(\) takes a dataset request") as e:
        storage.upload_dataset(_model())  # type: ignore[arg-type]
    assert "upload_model()" in (e.value.hint or "")
    assert store.versions == {}


def test_upload_model_refuses_a_dataset_request_and_publishes_nothing(
    storage: FrogMLStorage, store: InMemoryStore
) -> None:
    with pytest.raises(ValidationError, match=r"upload_model\(\) takes a model request"):
        storage.upload_model(_dataset())  # type: ignore[arg-type]
    assert store.versions == {}


def test_a_generic_request_of_the_other_kind_is_refused_too(storage: FrogMLStorage) -> None:
    generic = UploadRequest(kind=EntityKind.MODEL, repository="ml-local", name="m", source_path="/")
    with pytest.raises(ValidationError, match="takes a dataset request"):
        storage.upload_dataset(generic)  # type: ignore[arg-type]


def test_the_download_methods_refuse_a_request_of_the_other_kind(
    storage: FrogMLStorage,
) -> None:
    storage.upload_model(_model())
    storage.upload_dataset(_dataset())
    model = DownloadModelRequest(repository="ml-local", name="m", version="1", target_path="/o")
    dataset = DownloadDatasetRequest(repository="ml-local", name="d", version="1", target_path="/o")
    with pytest.raises(ValidationError, match=r"download_dataset\(\) takes a dataset request"):
        storage.download_dataset(model)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"download_model\(\) takes a model request"):
        storage.download_model(dataset)  # type: ignore[arg-type]
    fetched: DownloadResult = storage.download_model(model)
    assert fetched.ref.kind is EntityKind.MODEL
    assert storage.download_dataset(dataset).ref.kind is EntityKind.DATASET


def test_each_upload_method_returns_the_result_of_its_kind(storage: FrogMLStorage) -> None:
    model: UploadModelResult = storage.upload_model(_model())
    dataset: UploadDatasetResult = storage.upload_dataset(_dataset())
    assert type(model) is UploadModelResult
    assert type(dataset) is UploadDatasetResult
    assert isinstance(model.entity_version, ModelVersion)
    assert isinstance(dataset.entity_version, DatasetVersion)
    assert model.model_version.version == "1"
    assert dataset.dataset_version.version == "1"
    # Both are still UploadResults, with their report.
    assert isinstance(model, UploadResult)
    assert isinstance(dataset, UploadResult)
    assert model.report.files_sent == 1


def test_the_generic_upload_returns_the_result_of_the_request_kind(
    storage: FrogMLStorage,
) -> None:
    generic = UploadRequest(
        kind=EntityKind.DATASET, repository="ml-local", name="d", source_path="/src", version="2"
    )
    assert type(storage.upload(generic)) is UploadDatasetResult
    assert type(storage.upload(_model("2"))) is UploadModelResult


def test_a_kind_request_overriding_its_kind_is_refused_before_anything_is_sent(
    store: InMemoryStore, disk: InMemoryFileSystem
) -> None:
    mislabelled = UploadDatasetRequest(
        kind=EntityKind.MODEL,
        repository="ml-local",
        name="m",
        source_path="/src",
        version="1",
        model_format=FORMAT,
    )
    upload = Upload(store=store, filesystem=disk)
    for attempt in (upload.plan, upload):
        with pytest.raises(ValidationError, match="UploadDatasetRequest is of kind dataset"):
            attempt(mislabelled)
    assert store.versions == {}


def test_the_jfrog_methods_are_unchanged(storage: FrogMLStorage) -> None:
    model = storage.upload_model_version("ml-local", "m", "/src", FORMAT, version="1")
    dataset = storage.upload_dataset_version("ml-local", "d", "/src", version="1")
    assert isinstance(model, ModelVersion)
    assert isinstance(dataset, DatasetVersion)
    fetched = storage.download_dataset_version("ml-local", "d", "1", "/o")
    assert fetched.files == ("w.npy",)
