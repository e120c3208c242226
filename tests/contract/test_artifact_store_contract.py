"""The artifact store contract, run through the use cases over every store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frogml.domain.errors import AlreadyExistsError, FrogMLError, IntegrityError, NotFoundError
from frogml.domain.model.entity import EntityKind, EntityRef, format_created_date
from frogml.domain.model.manifest import Artifact, DatasetInfo, ModelInfo
from frogml.domain.ports.artifact_store import Area, UploadItem
from frogml.domain.ports.filesystem import SourceFile
from frogml.domain.ports.progress import NULL_EVENTS
from frogml.domain.services.download import Download, DownloadDatasetRequest, DownloadModelRequest
from frogml.domain.services.get_info import GetInfo
from frogml.domain.services.list_versions import ListVersions
from frogml.domain.services.upload import (
    Upload,
    UploadDatasetRequest,
    UploadDatasetResult,
    UploadModelRequest,
    UploadModelResult,
    artifact_of,
)
from tests.contract._support import (
    FORMAT,
    LyingSource,
    RecordingEvents,
    UnreadableSource,
    sha,
)
from tests.contract.conftest import Harness

MODEL = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="fraud", namespace="acme")
DATASET = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name="transactions")
MODEL_FILES = {
    "model.pt": b"weights" * 1000,
    "config/params.json": b'{"depth": 3}',
    "config/empty.txt": b"",
    "tokenizer/vocab é.txt": "héllo wörld".encode(),
}


def _write_model(h: Harness, files: dict[str, bytes] = MODEL_FILES) -> str:
    for rel, data in files.items():
        h.write(f"src/{rel}", data)
    return h.path("src")


def _upload_model(
    h: Harness,
    version: str | None = "1.0",
    *,
    dependency_paths: tuple[str, ...] = (),
    code_archive_path: str | None = None,
    properties: dict[str, str] | None = None,
) -> UploadModelResult:
    request = UploadModelRequest(
        repository=MODEL.repository,
        name=MODEL.name,
        namespace=MODEL.namespace,
        source_path=_write_model(h),
        model_format=FORMAT,
        version=version,
        dependency_paths=dependency_paths,
        code_archive_path=code_archive_path,
        properties=properties or {},
    )
    return Upload(store=h.store, filesystem=h.filesystem)(request)


def _upload_dataset(h: Harness, source: str, version: str | None = "v1") -> UploadDatasetResult:
    request = UploadDatasetRequest(
        repository=DATASET.repository, name=DATASET.name, source_path=source, version=version
    )
    return Upload(store=h.store, filesystem=h.filesystem)(request)


def _download_model(h: Harness, version: str, target: str) -> None:
    request = DownloadModelRequest(
        repository=MODEL.repository,
        name=MODEL.name,
        namespace=MODEL.namespace,
        version=version,
        target_path=h.path(target),
        with_dependencies=True,
        with_code=True,
    )
    Download(store=h.store, filesystem=h.filesystem)(request)


ANY_TEXT = {
    "note": "two words",
    "url": "https://example.com/x?a=1&b=2#frag",
    "owner": "alice@acme.com",
    "digest": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "empty": "",
    "escapes": "a,b;c=d\\e|f",
    "unicode": "ünïcødé 模型 🐸",
}


def test_property_values_of_any_text_round_trip(harness: Harness) -> None:
    _upload_model(harness, properties=ANY_TEXT)
    info = GetInfo(store=harness.store)(MODEL.with_version("1.0"))
    assert info.properties == ANY_TEXT


def test_model_round_trip_keeps_files_dependencies_code_and_properties(harness: Harness) -> None:
    h = harness
    requirements = h.write("extras/requirements.txt", b"torch==2.5.1\n")
    code = h.write("extras/code.zip", b"PK\x03\x04 not really a zip")
    _upload_model(
        h,
        dependency_paths=(requirements,),
        code_archive_path=code,
        properties={"stage": "prod", "team": "risk/fraud"},
    )

    _download_model(h, "1.0", "out")

    expected = dict(MODEL_FILES)
    expected["dependencies/requirements.txt"] = b"torch==2.5.1\n"
    expected["code/code.zip"] = b"PK\x03\x04 not really a zip"
    assert h.listing("out") == expected
    info = GetInfo(store=h.store)(MODEL.with_version("1.0"))
    assert info.properties == {"stage": "prod", "team": "risk/fraud"}
    assert isinstance(info.manifest, ModelInfo)
    assert info.manifest.model_format == FORMAT
    assert info.manifest.code_artifact is not None
    assert info.manifest.code_artifact.artifact_path == "code.zip"


def test_dataset_round_trip_from_a_folder(harness: Harness) -> None:
    h = harness
    files = {"train/part-0.csv": b"a,b\n1,2\n", "test/part-0.csv": b"a,b\n3,4\n", "README": b"hi"}
    for rel, data in files.items():
        h.write(f"data/{rel}", data)
    h.write("data/.git/HEAD", b"ref: refs/heads/main")

    _upload_dataset(h, h.path("data"))
    request = DownloadDatasetRequest(
        repository=DATASET.repository, name=DATASET.name, version="v1", target_path=h.path("out")
    )
    result = Download(store=h.store, filesystem=h.filesystem)(request)

    assert h.listing("out") == files
    assert result.files_downloaded == 3


def test_dataset_round_trip_from_a_single_file(harness: Harness) -> None:
    h = harness
    _upload_dataset(h, h.write("one/table.parquet", b"PAR1 data PAR1"))
    request = DownloadDatasetRequest(
        repository=DATASET.repository, name=DATASET.name, version="v1", target_path=h.path("out")
    )
    Download(store=h.store, filesystem=h.filesystem)(request)

    assert h.listing("out") == {"table.parquet": b"PAR1 data PAR1"}


def test_version_defaults_to_the_clock_time(harness: Harness) -> None:
    h = harness
    if not h.controls_clock:
        pytest.skip("this store's server picks the version with its own clock")
    h.clock.set(h.clock.now().replace(year=2026, month=11, day=27, hour=9, minute=15, second=2))

    _upload_model(h, version=None)

    versions = ListVersions(store=h.store)(MODEL)
    assert [v.version for v in versions] == ["2026-11-27-09-15-02"]
    info = GetInfo(store=h.store)(MODEL.with_version("2026-11-27-09-15-02"))
    assert info.manifest.created_date.startswith("2026-11-27T09:15:02.")


def test_publishing_an_existing_version_is_refused_and_keeps_the_first(harness: Harness) -> None:
    h = harness
    _upload_model(h)
    h.write("src/model.pt", b"other weights")

    with pytest.raises(AlreadyExistsError):
        _upload_model(h)

    _download_model(h, "1.0", "out")
    assert h.listing("out")["model.pt"] == MODEL_FILES["model.pt"]


def test_aborted_transaction_publishes_nothing(harness: Harness) -> None:
    h = harness
    source = h.filesystem.scan(h.write("src/model.pt", b"weights"))
    transaction = h.store.begin(MODEL.with_version("1.0"))
    h.store.upload(transaction, [UploadItem(area=Area.FILES, source=source[0])], NULL_EVENTS)

    h.store.abort(transaction)
    h.store.abort(transaction)  # a second abort is harmless

    with pytest.raises(NotFoundError):
        h.store.list_versions(MODEL)
    _upload_model(h)  # the version is still free


def _publish_dataset(h: Harness, sources: list[SourceFile]) -> None:
    def build(created_date: str) -> DatasetInfo:
        return DatasetInfo(
            created_date=created_date, dataset_artifacts=tuple(artifact_of(s) for s in sources)
        )

    # The store's side of an upload, as the Upload use case drives it.
    items = [UploadItem(area=Area.FILES, source=s) for s in sources]
    transaction = h.store.begin(DATASET.with_version("v1"))
    try:
        h.store.upload(transaction, items, NULL_EVENTS)
        h.store.commit(transaction, build(format_created_date(transaction.started_at)), {})
    except BaseException:
        h.store.abort(transaction)
        raise


def test_upload_publishes_nothing_when_a_source_cannot_be_read(harness: Harness) -> None:
    h = harness
    good = h.filesystem.scan(h.write("data/a.csv", b"1,2\n"))[0]
    broken = UnreadableSource(rel_path="b.csv", size=3, sha256=sha(b"3,4"))

    with pytest.raises(FrogMLError):
        _publish_dataset(h, [good, broken])

    with pytest.raises(NotFoundError):
        h.store.read_manifest(DATASET.with_version("v1"))


def test_upload_publishes_nothing_and_keeps_no_blob_when_bytes_do_not_match(
    harness: Harness,
) -> None:
    h = harness
    genuine = b"the real bytes"
    liar = LyingSource(rel_path="a.csv", size=len(genuine), sha256=sha(genuine), data=b"x" * 14)

    with pytest.raises(IntegrityError):
        _publish_dataset(h, [liar])

    with pytest.raises(NotFoundError):
        h.store.list_versions(DATASET)
    result = _upload_dataset(h, h.write("data/a.csv", genuine))
    assert result.report.bytes_sent == len(genuine)


def test_commit_refuses_a_manifest_naming_a_file_never_uploaded(harness: Harness) -> None:
    h = harness
    transaction = h.store.begin(DATASET.with_version("v1"))
    manifest = DatasetInfo(
        created_date="2026-01-02T03:04:05.00",
        dataset_artifacts=(Artifact(artifact_path="ghost.csv", size=1, sha256=sha(b"x")),),
    )

    with pytest.raises(FrogMLError):
        h.store.commit(transaction, manifest, {})
    h.store.abort(transaction)

    with pytest.raises(NotFoundError):
        h.store.list_versions(DATASET)


@pytest.mark.parametrize(
    ("ref", "what"),
    [
        (EntityRef(repository="nope", kind=EntityKind.MODEL, name="x", version="1"), "repository"),
        (MODEL.with_version("9.9"), "version"),
        (EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="x", version="1"), "model"),
    ],
)
def test_read_version_names_what_is_missing(harness: Harness, ref: EntityRef, what: str) -> None:
    _upload_model(harness)

    with pytest.raises(NotFoundError) as caught:
        harness.store.read_manifest(ref)

    assert caught.value.what == what


def test_list_versions_is_newest_first(harness: Harness) -> None:
    h = harness
    for version in ("b-first", "a-second", "c-third"):
        _upload_model(h, version=version)
        h.clock.advance(timedelta(minutes=1))

    versions = ListVersions(store=h.store)(MODEL)

    assert [v.version for v in versions] == ["c-third", "a-second", "b-first"]


def test_a_second_version_with_the_same_content_sends_no_bytes(harness: Harness) -> None:
    h = harness
    first = _upload_model(h, version="1.0")
    events = RecordingEvents()
    request = UploadModelRequest(
        repository=MODEL.repository,
        name=MODEL.name,
        namespace=MODEL.namespace,
        source_path=h.path("src"),
        model_format=FORMAT,
        version="2.0",
    )

    second = Upload(store=h.store, filesystem=h.filesystem)(request, events)

    small = {rel: data for rel, data in MODEL_FILES.items() if len(data) < h.always_sent_below}
    assert first.report.bytes_sent == sum(map(len, MODEL_FILES.values()))
    assert second.report.bytes_sent == sum(map(len, small.values()))
    assert second.report.files_deduplicated == len(MODEL_FILES) - len(small)
    assert events.advanced_bytes == sum(map(len, MODEL_FILES.values()))
    assert sorted(events.done) == sorted((rel, rel in small) for rel in MODEL_FILES)


def test_download_reports_every_byte_and_file(harness: Harness) -> None:
    h = harness
    _upload_model(h)
    events = RecordingEvents()
    request = DownloadModelRequest(
        repository=MODEL.repository,
        name=MODEL.name,
        namespace=MODEL.namespace,
        version="1.0",
        target_path=h.path("out"),
        with_dependencies=True,
        with_code=True,
    )

    Download(store=h.store, filesystem=h.filesystem)(request, events)

    total = sum(map(len, MODEL_FILES.values()))
    assert events.started_with == [(len(MODEL_FILES), total)]
    assert events.advanced_bytes == total
    assert sorted(rel for rel, _ in events.done) == sorted(MODEL_FILES)
    assert events.finished_calls == 1


def test_download_resumes_a_partial_file(harness: Harness) -> None:
    h = harness
    _upload_model(h)
    data = MODEL_FILES["model.pt"]
    sink = h.filesystem.open_sink(h.path("out"), "model.pt", size=len(data), sha256=sha(data))
    sink.write(data[:1000])
    sink.close()

    _download_model(h, "1.0", "out")

    assert h.listing("out") == MODEL_FILES


def test_a_tampered_blob_fails_the_download_and_writes_no_file(harness: Harness) -> None:
    h = harness
    _upload_model(h)
    h.corrupt_blob(sha(MODEL_FILES["model.pt"]))

    with pytest.raises(IntegrityError) as caught:
        _download_model(h, "1.0", "out")

    assert caught.value.expected == sha(MODEL_FILES["model.pt"])
    assert "model.pt" not in h.listing("out")
