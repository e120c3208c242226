"""Listing without guessing: entities and versions in both published layouts, with one
request where AQL answers, and the same answer where it is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RetryPolicy
from frogml.adapters.memory import InMemoryFileSystem
from frogml.domain.errors import NotFoundError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.list_entities import ListEntities
from frogml.domain.services.list_versions import ListVersions
from frogml.domain.services.upload import Upload, UploadDatasetRequest, UploadRequest
from frogml.domain.services.upload import UploadModelRequest as Model

FORMAT = SerializationMetadata(
    framework="numpy",
    framework_version="1.26",
    serialization_format="npy",
    runtime="python",
    runtime_version="3.11",
)


@pytest.fixture(params=[True, False], ids=["manifest-file", "no-manifest-file"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[Emulator, ArtifactoryStore]]:
    with Emulator(tokens={EMULATOR_TOKEN}, manifest_file=request.param) as emulator:
        credentials = Credentials(url=emulator.url, access_token=EMULATOR_TOKEN, source="tests")
        store = ArtifactoryStore(
            ArtifactorySettings(credentials=credentials, retry=RetryPolicy(max_attempts=1))
        )
        yield emulator, store
        store.close()


def _publish(store: ArtifactoryStore) -> None:
    disk = InMemoryFileSystem()
    disk.add_file("/m/w.npy", b"weights")
    disk.add_file("/d/rows.csv", b"a,b\n")
    requests: list[UploadRequest] = [
        Model(
            repository="ml-local", name="iris", source_path="/m", model_format=FORMAT, version="1"
        ),
        Model(
            repository="ml-local", name="iris", source_path="/m", model_format=FORMAT, version="2"
        ),
        Model(
            repository="ml-local",
            name="fraud",
            namespace="risk",
            source_path="/m",
            model_format=FORMAT,
            version="1",
        ),
        UploadDatasetRequest(repository="ml-local", name="rows", source_path="/d", version="1"),
    ]
    for request in requests:
        Upload(store=store, filesystem=disk)(request)
    # An upload begun and never committed leaves an area under tmp/: never listed.
    store.begin(EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="pending"))


def test_entities_are_listed_with_one_aql_request_in_both_layouts(
    server: tuple[Emulator, ArtifactoryStore],
) -> None:
    emulator, store = server
    _publish(store)
    emulator.counters.reset()
    models = ListEntities(store=store)("ml-local", EntityKind.MODEL)
    assert [e.path for e in models] == ["iris", "risk/fraud"]
    assert emulator.counters.snapshot().requests == {"aql": 1}
    datasets = ListEntities(store=store)("ml-local", EntityKind.DATASET)
    assert [e.path for e in datasets] == ["rows"]


def test_where_aql_is_refused_one_storage_listing_gives_the_same_answer(
    server: tuple[Emulator, ArtifactoryStore],
) -> None:
    emulator, store = server
    _publish(store)
    emulator.faults.fail("POST", r"/api/search/aql$", status=405, times=None)
    emulator.counters.reset()
    models = ListEntities(store=store)("ml-local", EntityKind.MODEL)
    assert [e.path for e in models] == ["iris", "risk/fraud"]
    assert emulator.counters.snapshot().requests == {"aql": 1, "list": 1}


def test_versions_are_the_version_folders_minus_tmp(
    server: tuple[Emulator, ArtifactoryStore],
) -> None:
    emulator, store = server
    _publish(store)
    store.begin(EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="iris", version="3"))
    emulator.counters.reset()
    ref = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="iris")
    assert [v.version for v in ListVersions(store=store)(ref)] == ["2", "1"]
    assert emulator.counters.snapshot().requests == {"list": 1}


def test_an_empty_or_missing_repository(server: tuple[Emulator, ArtifactoryStore]) -> None:
    _, store = server
    assert ListEntities(store=store)("ml-local", EntityKind.MODEL) == []
    with pytest.raises(NotFoundError, match="repository nope does not exist"):
        ListEntities(store=store)("nope", EntityKind.MODEL)
