"""Every rule in the use cases' docstrings, over the in-memory fakes.

Each test is named for its rule; the use cases are driven through their ports only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

import pytest

from frogml.adapters.memory import InMemoryFileSystem, InMemoryStore, ManualClock
from frogml.domain.errors import (
    AlreadyExistsError,
    IntegrityError,
    NotFoundError,
    ProtocolError,
    TargetConflictError,
    ValidationError,
)
from frogml.domain.model.entity import DatasetVersion, EntityKind, EntityRef, ModelVersion
from frogml.domain.model.manifest import Artifact, DatasetInfo, Manifest, ModelInfo
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.model.target import Presence
from frogml.domain.ports.artifact_store import Transaction, UploadItem, UploadReport
from frogml.domain.ports.forecast import UploadForecast
from frogml.domain.ports.progress import TransferEvents
from frogml.domain.services.download import Download, DownloadDatasetRequest, DownloadModelRequest
from frogml.domain.services.get_info import GetInfo
from frogml.domain.services.list_entities import ListEntities
from frogml.domain.services.list_versions import ListVersions
from frogml.domain.services.upload import (
    Upload,
    UploadDatasetRequest,
    UploadModelRequest,
    UploadRequest,
)

FORMAT = SerializationMetadata(
    framework="numpy",
    framework_version="1.26",
    serialization_format="npy",
    runtime="python",
    runtime_version="3.11",
)
START = datetime(2026, 11, 30, 12, 0, 0, 420000, tzinfo=timezone.utc)


class RecordingStore(InMemoryStore):
    """The in-memory store, remembering what the use cases asked of it."""

    def __init__(self) -> None:
        super().__init__(clock=ManualClock(START))
        self.begun = 0
        self.aborted = 0
        self.properties_read = 0
        self.fail_upload = False

    def begin(self, ref: EntityRef) -> Transaction:
        self.begun += 1
        return super().begin(ref)

    def upload(
        self, transaction: Transaction, items: Sequence[UploadItem], events: TransferEvents
    ) -> UploadReport:
        if self.fail_upload:
            raise IntegrityError("the network ate a byte")
        return super().upload(transaction, items, events)

    def abort(self, transaction: Transaction) -> None:
        self.aborted += 1
        super().abort(transaction)

    def read_properties(self, ref: EntityRef) -> dict[str, str]:
        self.properties_read += 1
        return super().read_properties(ref)


class CraftedStore(RecordingStore):
    """A store answering a manifest it was given, as a hostile server could."""

    def __init__(self, manifest: Manifest) -> None:
        super().__init__()
        self.crafted = manifest

    def read_manifest(self, ref: EntityRef) -> Manifest:
        return self.crafted


@pytest.fixture
def store() -> RecordingStore:
    return RecordingStore()


@pytest.fixture
def disk() -> InMemoryFileSystem:
    fs = InMemoryFileSystem()
    fs.add_file("/model/weights.npy", b"\x01" * 64)
    fs.add_file("/model/README.md", b"# model")
    fs.add_file("/deps/requirements.txt", b"numpy\n")
    fs.add_file("/other/requirements.txt", b"scipy\n")
    fs.add_file("/code.zip", b"PK")
    return fs


def _model(**overrides: object) -> UploadModelRequest:
    fields: dict[str, object] = {
        "repository": "ml-local",
        "name": "m",
        "source_path": "/model",
        "model_format": FORMAT,
        "version": "1",
    }
    fields.update(overrides)
    return UploadModelRequest(**fields)  # type: ignore[arg-type]


def _upload(store: RecordingStore, disk: InMemoryFileSystem, request: UploadRequest) -> None:
    Upload(store=store, filesystem=disk)(request)


# -- Upload ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "no spaces"}, "model name"),
        ({"repository": "../up"}, "repository"),
        ({"version": "1.0/evil"}, "version"),
        ({"namespace": ""}, "namespace"),
        ({"properties": {"bad key": "v"}}, "property key"),
    ],
)
def test_upload_checks_names_and_properties_before_reading_anything(
    store: RecordingStore, overrides: dict[str, object], field: str
) -> None:
    empty_disk = InMemoryFileSystem()  # the source does not even exist
    with pytest.raises(ValidationError) as caught:
        _upload(store, empty_disk, _model(**overrides))
    assert caught.value.field == field
    assert store.begun == 0


def test_upload_of_a_model_without_its_format_is_refused(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    with pytest.raises(ValidationError, match="needs its format"):
        _upload(store, disk, _model(model_format=None))
    assert store.begun == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"model_format": FORMAT}, "has no model format"),
        ({"dependency_paths": ("/deps/requirements.txt",)}, "has no dependencies"),
        ({"code_archive_path": "/code.zip"}, "has no code"),
    ],
)
def test_upload_of_a_dataset_refuses_what_only_a_model_has(
    store: RecordingStore, disk: InMemoryFileSystem, extra: dict[str, object], message: str
) -> None:
    request = UploadDatasetRequest(
        repository="ml-local",
        name="d",
        source_path="/model",
        **extra,  # type: ignore[arg-type]
    )
    with pytest.raises(ValidationError, match=message):
        _upload(store, disk, request)
    assert store.begun == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"source_path": "/missing"}, "does not exist"),
        ({"exclude": ("*",)}, "no file"),
        ({"dependency_paths": ("/deps",)}, "is a folder"),
        ({"code_archive_path": "/model"}, "is a folder"),
        ({"code_archive_path": "/nowhere.zip"}, "does not exist"),
    ],
)
def test_upload_refuses_a_bad_selection_before_sending_anything(
    store: RecordingStore, disk: InMemoryFileSystem, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _upload(store, disk, _model(**overrides))
    assert store.begun == 0
    assert store.files_received == 0


def test_upload_refuses_two_dependency_files_of_the_same_name(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    request = _model(dependency_paths=("/deps/requirements.txt", "/other/requirements.txt"))
    with pytest.raises(ValidationError, match="same name") as caught:
        _upload(store, disk, request)
    assert caught.value.field == "dependencies_files_paths"
    assert store.begun == 0


def test_upload_publishes_nothing_when_storing_fails(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    store.fail_upload = True
    with pytest.raises(IntegrityError):
        _upload(store, disk, _model())
    assert store.aborted == 1
    with pytest.raises(NotFoundError):
        store.list_versions(EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="m"))


def test_upload_never_replaces_a_published_version(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _upload(store, disk, _model())
    disk.add_file("/model/extra.bin", b"new")
    with pytest.raises(AlreadyExistsError) as caught:
        _upload(store, disk, _model())
    assert caught.value.hint is None  # the caller chose the version: nothing to explain
    manifest = store.read_manifest(_model().ref)
    assert isinstance(manifest, ModelInfo)
    assert "extra.bin" not in [a.artifact_path for a in manifest.model_artifacts]


def test_a_clash_on_the_default_version_says_it_is_the_upload_time(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _upload(store, disk, _model(version=None))  # the clock does not move
    with pytest.raises(AlreadyExistsError, match="upload time, to the second") as caught:
        _upload(store, disk, _model(version=None))
    assert caught.value.hint == "give a version, or upload again a second later"


def test_upload_dates_the_manifest_with_the_transaction_start(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    result = Upload(store=store, filesystem=disk)(_model(version=None))
    assert result.model_version.version == "2026-11-30-12-00-00"
    assert result.model_version.manifest.created_date == "2026-11-30T12:00:00.42"


def test_upload_puts_each_file_in_its_area(store: RecordingStore, disk: InMemoryFileSystem) -> None:
    request = _model(dependency_paths=("/deps/requirements.txt",), code_archive_path="/code.zip")
    published = Upload(store=store, filesystem=disk)(request).model_version
    manifest = published.manifest
    assert sorted(a.artifact_path for a in manifest.model_artifacts) == ["README.md", "weights.npy"]
    assert [a.artifact_path for a in manifest.dependency_artifacts] == ["requirements.txt"]
    assert manifest.code_artifact is not None
    assert manifest.code_artifact.artifact_path == "code.zip"
    assert isinstance(published, ModelVersion)


class ForecastStore(RecordingStore):
    """A store that takes the forecast of an upload (UploadForecast), noting the order."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, object]] = []

    def expect_upload(self, sizes: Iterable[int]) -> None:
        self.calls.append(("expect", sorted(sizes)))

    def begin(self, ref: EntityRef) -> Transaction:
        self.calls.append(("begin", ref.name))
        return super().begin(ref)


def test_upload_tells_a_store_that_takes_it_what_it_will_send_before_it_begins(
    disk: InMemoryFileSystem,
) -> None:
    store = ForecastStore()
    assert isinstance(store, UploadForecast)
    _upload(store, disk, _model(dependency_paths=("/deps/requirements.txt",)))
    assert store.calls == [("expect", [6, 7, 64]), ("begin", "m")]  # one size per file
    store.calls.clear()
    with pytest.raises(ValidationError):  # refused before anything: nothing forecast
        _upload(store, disk, _model(name="no spaces"))
    assert store.calls == []


def test_upload_plan_sends_nothing(store: RecordingStore, disk: InMemoryFileSystem) -> None:
    plan = Upload(store=store, filesystem=disk, blobs=store).plan(_model())
    assert sorted(f.path for f in plan.transfer) == ["README.md", "weights.npy"]
    assert store.begun == 0
    assert store.files_received == 0


# -- Download ----------------------------------------------------------------------


def _published_model(store: RecordingStore, disk: InMemoryFileSystem) -> None:
    request = _model(dependency_paths=("/deps/requirements.txt",), code_archive_path="/code.zip")
    _upload(store, disk, request)


def _download(
    store: RecordingStore, disk: InMemoryFileSystem, **overrides: object
) -> DownloadModelRequest:
    fields: dict[str, object] = {
        "repository": "ml-local",
        "name": "m",
        "version": "1",
        "target_path": "/out",
        "with_dependencies": True,
        "with_code": True,
    }
    fields.update(overrides)
    request = DownloadModelRequest(**fields)  # type: ignore[arg-type]
    Download(store=store, filesystem=disk)(request)
    return request


def test_download_puts_dependencies_and_code_in_their_folders(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _published_model(store, disk)
    _download(store, disk)
    assert disk.read("/out/weights.npy") == b"\x01" * 64
    assert disk.read("/out/dependencies/requirements.txt") == b"numpy\n"
    assert disk.read("/out/code/code.zip") == b"PK"


def test_download_takes_dependencies_and_code_only_when_asked(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _published_model(store, disk)
    request = DownloadModelRequest(repository="ml-local", name="m", version="1", target_path="/o")
    result = Download(store=store, filesystem=disk)(request)
    assert sorted(result.files) == ["README.md", "weights.npy"]
    assert sorted((s.path, s.reason) for s in result.skipped) == [
        ("code/code.zip", "code not asked for"),
        ("dependencies/requirements.txt", "dependencies not asked for"),
    ]
    assert not disk.exists("/o/dependencies/requirements.txt")
    assert not disk.exists("/o/code/code.zip")


def test_download_reads_no_properties(store: RecordingStore, disk: InMemoryFileSystem) -> None:
    _published_model(store, disk)
    _download(store, disk)
    assert store.properties_read == 0


def test_download_refuses_a_manifest_of_the_other_kind(disk: InMemoryFileSystem) -> None:
    data = DatasetInfo(
        created_date="2026-11-30T12:00:00.00",
        dataset_artifacts=(Artifact(artifact_path="a.csv", size=1, sha256="0" * 64),),
    )
    with pytest.raises(ProtocolError, match="no model manifest"):
        _download(CraftedStore(data), disk)
    assert not disk.exists("/out")


def test_download_leaves_out_what_the_patterns_exclude(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _published_model(store, disk)
    _download(store, disk, exclude=("dependencies/",))
    assert disk.exists("/out/weights.npy")
    assert not disk.exists("/out/dependencies/requirements.txt")


def test_download_that_the_patterns_leave_empty_creates_nothing(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _published_model(store, disk)
    with pytest.raises(ValidationError, match="matches the include/exclude patterns"):
        _download(store, disk, include=("*.onnx",))
    assert not disk.exists("/out")


def _artifact(path: str, data: bytes = b"x") -> Artifact:
    import hashlib

    return Artifact(artifact_path=path, size=len(data), sha256=hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (  # a model file and a dependency file both land at dependencies/req.txt
            ModelInfo(
                created_date="x",
                model_artifacts=(_artifact("dependencies/req.txt"),),
                model_format=FORMAT,
                dependency_artifacts=(_artifact("req.txt"),),
            ),
            "lists 'dependencies/req.txt' twice",
        ),
        (  # ... and on a case-folding disk, DEPENDENCIES/REQ.TXT is the same file
            ModelInfo(
                created_date="x",
                model_artifacts=(_artifact("DEPENDENCIES/REQ.TXT"),),
                model_format=FORMAT,
                dependency_artifacts=(_artifact("req.txt"),),
            ),
            "one file on a disk that ignores case",
        ),
        (  # a model file named code, and the code archive below code/
            ModelInfo(
                created_date="x",
                model_artifacts=(_artifact("code"),),
                model_format=FORMAT,
                code_artifact=_artifact("src.zip"),
            ),
            "both as a file and a folder",
        ),
    ],
)
def test_download_refuses_colliding_local_paths_before_writing(
    disk: InMemoryFileSystem, manifest: ModelInfo, message: str
) -> None:
    disk.fold_case = True  # as on macOS or Windows
    with pytest.raises(ValidationError, match=message):
        _download(CraftedStore(manifest), disk)
    assert not disk.exists("/out")


def test_names_differing_only_by_case_are_distinct_on_a_disk_that_keeps_case(
    store: RecordingStore,
) -> None:
    disk = InMemoryFileSystem()
    disk.add_file("/src/Readme.md", b"upper")
    disk.add_file("/src/readme.md", b"lower")
    request = UploadDatasetRequest(repository="ml-local", name="d", source_path="/src", version="1")
    _upload(store, disk, request)
    Download(store=store, filesystem=disk)(
        DownloadDatasetRequest(repository="ml-local", name="d", version="1", target_path="/o")
    )
    assert (disk.read("/o/Readme.md"), disk.read("/o/readme.md")) == (b"upper", b"lower")
    disk.fold_case = True
    with pytest.raises(ValidationError, match="one file on a disk that ignores case"):
        Download(store=store, filesystem=disk)(
            DownloadDatasetRequest(repository="ml-local", name="d", version="1", target_path="/p")
        )


def test_upload_refuses_names_differing_only_by_unicode_normalization(
    store: RecordingStore,
) -> None:
    disk = InMemoryFileSystem()
    disk.add_file("/src/caf\u00e9.txt", b"composed")
    disk.add_file("/src/cafe\u0301.txt", b"decomposed")
    request = UploadDatasetRequest(repository="ml-local", name="d", source_path="/src", version="1")
    with pytest.raises(ValidationError, match="differ only by Unicode normalization"):
        _upload(store, disk, request)
    assert store.begun == 0


def test_download_verifies_every_byte_before_the_final_name(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _published_model(store, disk)
    weights = store.read_manifest(_model().ref)
    assert isinstance(weights, ModelInfo)
    digest = next(a.sha256 for a in weights.model_artifacts if a.artifact_path == "weights.npy")
    store.corrupt_blob(digest, b"\x02" * 64)
    with pytest.raises(IntegrityError):
        _download(store, disk)
    assert not disk.exists("/out/weights.npy")


def test_download_keeps_a_present_file_only_when_its_hash_matches(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _published_model(store, disk)
    disk.add_file("/out/weights.npy", b"\x01" * 64)  # right bytes: kept
    disk.add_file("/out/README.md", b"# mine")  # other bytes: replaced, as asked
    request = DownloadModelRequest(
        repository="ml-local",
        name="m",
        version="1",
        target_path="/out",
        with_dependencies=True,
        overwrite=True,
    )
    result = Download(store=store, filesystem=disk)(request)
    assert result.files_reused == 1
    assert result.files_downloaded == 2
    assert disk.read("/out/README.md") == b"# model"


def test_download_replaces_no_differing_file_unasked_and_writes_nothing(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _published_model(store, disk)
    disk.add_file("/out/README.md", b"# mine")
    disk.add_file("/out/dependencies", b"a file where a folder goes")
    with pytest.raises(TargetConflictError) as refused:
        _download(store, disk)
    assert refused.value.paths == ("README.md", "dependencies/requirements.txt")
    assert "README.md (differs)" in refused.value.message
    assert "--force" in str(refused.value)
    assert sorted(p for p in disk.files if p.startswith("/out/")) == [
        "/out/README.md",
        "/out/dependencies",
    ]
    assert not disk.partials
    assert disk.read("/out/README.md") == b"# mine"


def test_download_with_overwrite_replaces_files_and_empty_folders_in_the_way(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _published_model(store, disk)
    disk.add_file("/out/dependencies", b"a file where a folder goes")
    disk.prepare_target("/out/weights.npy")  # an empty folder where a file goes
    _download(store, disk, overwrite=True)
    assert disk.read("/out/dependencies/requirements.txt") == b"numpy\n"
    assert disk.read("/out/weights.npy") == b"\x01" * 64


def test_download_never_replaces_a_folder_holding_files_even_when_asked(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _published_model(store, disk)
    disk.add_file("/out/weights.npy/mine.txt", b"my notes")
    with pytest.raises(TargetConflictError, match=r"weights.npy \(a folder is in the way\)"):
        _download(store, disk, overwrite=True)
    assert disk.read("/out/weights.npy/mine.txt") == b"my notes"
    assert not disk.exists("/out/README.md")


def test_download_plan_marks_what_it_would_replace_and_the_refusal_of_the_real_run(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _published_model(store, disk)
    disk.add_file("/out/weights.npy", b"\x01" * 64)
    disk.add_file("/out/README.md", b"# mine")
    request = DownloadModelRequest(repository="ml-local", name="m", version="1", target_path="/out")
    plan = Download(store=store, filesystem=disk).plan(request)
    assert [(f.path, f.conflict) for f in plan.transfer] == [("README.md", Presence.DIFFERS)]
    assert [f.path for f in plan.reuse] == ["weights.npy"]
    refusal = plan.refusal(overwrite=False)
    assert isinstance(refusal, TargetConflictError)
    assert refusal.paths == ("README.md",)
    assert plan.refusal(overwrite=True) is None
    assert disk.read("/out/README.md") == b"# mine"


def test_download_into_a_file_is_refused_by_the_plan_too(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _published_model(store, disk)
    disk.add_file("/out", b"not a folder")
    request = DownloadModelRequest(repository="ml-local", name="m", version="1", target_path="/out")
    for run in (
        Download(store=store, filesystem=disk).plan,
        Download(store=store, filesystem=disk),
    ):
        with pytest.raises(ValidationError, match="is a file"):
            run(request)


def test_download_plan_writes_nothing(store: RecordingStore, disk: InMemoryFileSystem) -> None:
    _published_model(store, disk)
    request = DownloadModelRequest(
        repository="ml-local",
        name="m",
        version="1",
        target_path="/out",
        with_dependencies=True,
        with_code=True,
    )
    plan = Download(store=store, filesystem=disk).plan(request)
    assert sorted(f.path for f in plan.transfer) == [
        "README.md",
        "code/code.zip",
        "dependencies/requirements.txt",
        "weights.npy",
    ]
    assert not disk.exists("/out")


# -- GetInfo, ListVersions, ListEntities -------------------------------------------


def test_get_info_needs_a_version(store: RecordingStore) -> None:
    ref = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="m")
    with pytest.raises(ValidationError, match="give a version"):
        GetInfo(store=store)(ref)


def test_get_info_of_a_missing_version_is_not_found(store: RecordingStore) -> None:
    ref = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="m", version="9")
    with pytest.raises(NotFoundError):
        GetInfo(store=store)(ref)


def test_get_info_refuses_a_manifest_of_the_other_kind(store: RecordingStore) -> None:
    model = ModelInfo(created_date="x", model_artifacts=(_artifact("a"),), model_format=FORMAT)
    ref = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name="d", version="1")
    with pytest.raises(ProtocolError, match="manifest of another kind"):
        GetInfo(store=CraftedStore(model))(ref)


def test_get_info_answers_each_kind_with_its_type(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    _upload(store, disk, _model(properties={"stage": "dev"}))
    dataset = UploadDatasetRequest(
        repository="ml-local", name="d", source_path="/deps", version="1"
    )
    _upload(store, disk, dataset)
    model = GetInfo(store=store)(_model().ref)
    data = GetInfo(store=store)(dataset.ref)
    assert isinstance(model, ModelVersion)
    assert model.properties == {"stage": "dev"}
    assert isinstance(data, DatasetVersion)


def test_versions_are_listed_newest_first_ties_by_name(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    for version in ("a", "c", "b"):  # one clock tick for all three
        _upload(store, disk, _model(version=version))
    ref = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="m")
    assert [v.version for v in ListVersions(store=store)(ref)] == ["c", "b", "a"]


def test_an_entity_with_no_version_lists_as_not_found(store: RecordingStore) -> None:
    ref = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="m")
    with pytest.raises(NotFoundError):
        ListVersions(store=store)(ref)


def test_listing_entities_checks_the_repository_name_first(store: RecordingStore) -> None:
    with pytest.raises(ValidationError):
        ListEntities(store=store)("bad repo", EntityKind.MODEL)


def test_entities_are_sorted_no_namespace_first(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    for namespace, name in (("team", "a"), (None, "z"), ("alpha", "b")):
        _upload(store, disk, _model(name=name, namespace=namespace))
    found = ListEntities(store=store)("ml-local", EntityKind.MODEL)
    assert [e.path for e in found] == ["z", "alpha/b", "team/a"]


@pytest.mark.parametrize(
    ("source_file", "extra", "where"),
    [
        (
            "/model/dependencies/requirements.txt",
            {"dependency_paths": ("/deps/requirements.txt",)},
            "dependencies/requirements.txt",
        ),
        ("/model/code/code.zip", {"code_archive_path": "/code.zip"}, "code/code.zip"),
    ],
)
def test_upload_refuses_a_source_file_where_a_download_puts_an_extra(
    store: RecordingStore,
    disk: InMemoryFileSystem,
    source_file: str,
    extra: dict[str, object],
    where: str,
) -> None:
    # A folder downloaded with its dependencies, uploaded again with them: no download
    # with dependencies could ever write both files, so nothing is sent.
    disk.add_file(source_file, b"from an earlier download")
    with pytest.raises(ValidationError, match="where a download puts") as caught:
        _upload(store, disk, _model(**extra))
    assert repr(where) in caught.value.message
    assert caught.value.hint is not None
    assert "--exclude" in caught.value.hint
    assert store.begun == 0


def test_upload_refuses_a_source_file_named_like_the_dependencies_folder(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    disk.add_file("/model/dependencies", b"a file, where a download makes a folder")
    with pytest.raises(ValidationError, match="both as a file and a folder"):
        _upload(store, disk, _model(dependency_paths=("/deps/requirements.txt",)))
    assert store.begun == 0


def test_upload_keeps_a_dependencies_folder_of_the_source_when_no_extra_goes_there(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    disk.add_file("/model/dependencies/notes.txt", b"fine")
    _upload(store, disk, _model(dependency_paths=("/deps/requirements.txt",)))
    assert store.begun == 1


def test_upload_refuses_a_source_file_a_disk_ignoring_case_takes_for_an_extra(
    store: RecordingStore, disk: InMemoryFileSystem
) -> None:
    # On macOS or Windows, Dependencies/requirements.txt is dependencies/requirements.txt.
    disk.add_file("/model/Dependencies/requirements.txt", b"from an earlier download")
    with pytest.raises(ValidationError, match="where a download puts"):
        _upload(store, disk, _model(dependency_paths=("/deps/requirements.txt",)))
    assert store.begun == 0
