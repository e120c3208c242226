"""Deleting a version, ``latest`` and the repositories listing, over every store."""

from __future__ import annotations

import pytest

from frogml.domain.errors import NotFoundError, ValidationError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.services.delete_version import DeleteVersion
from frogml.domain.services.download import Download, DownloadModelRequest
from frogml.domain.services.get_info import GetInfo
from frogml.domain.services.list_entities import ListEntities
from frogml.domain.services.list_repositories import ListRepositories
from frogml.domain.services.list_versions import ListVersions
from frogml.domain.services.resolve_version import ResolveVersion
from frogml.domain.services.upload import Upload, UploadModelRequest
from tests.contract._support import FORMAT
from tests.contract.conftest import Harness

MODEL = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="fraud", namespace="acme")
FILES = {"model.pt": b"weights" * 2000, "config.json": b'{"depth": 3}'}


def _upload(h: Harness, version: str, files: dict[str, bytes] = FILES, folder: str = "src") -> None:
    for rel, data in files.items():
        h.write(f"{folder}/{rel}", data)
    request = UploadModelRequest(
        repository=MODEL.repository,
        name=MODEL.name,
        namespace=MODEL.namespace,
        source_path=h.path(folder),
        model_format=FORMAT,
        version=version,
    )
    Upload(store=h.store, filesystem=h.filesystem)(request)
    h.clock.advance(60)  # the stores that use this clock date each version apart


def _download(h: Harness, version: str, target: str) -> dict[str, bytes]:
    request = DownloadModelRequest(
        repository=MODEL.repository,
        name=MODEL.name,
        namespace=MODEL.namespace,
        version=version,
        target_path=h.path(target),
    )
    Download(store=h.store, filesystem=h.filesystem)(request)
    return h.listing(target)


def _versions(h: Harness) -> list[str]:
    return [v.version for v in ListVersions(store=h.store)(MODEL)]


def test_a_deleted_version_is_gone_and_its_name_may_be_published_again(h: Harness) -> None:
    _upload(h, "1.0")
    _upload(h, "2.0")  # the same contents: shared with 1.0

    gone = DeleteVersion(store=h.store)(MODEL.with_version("1.0"))

    assert (gone.files, gone.bytes) == (2, sum(len(d) for d in FILES.values()))
    assert _versions(h) == ["2.0"]
    with pytest.raises(NotFoundError):
        GetInfo(store=h.store)(MODEL.with_version("1.0"))
    assert _download(h, "2.0", "out-2") == FILES  # what 2.0 shares stays
    other = {"model.pt": b"new weights" * 2000}
    _upload(h, "1.0", other, folder="other")
    assert _download(h, "1.0", "out-1") == other


def test_deleting_the_last_version_leaves_no_entity(h: Harness) -> None:
    _upload(h, "1.0")

    DeleteVersion(store=h.store)(MODEL.with_version("1.0"))

    with pytest.raises(NotFoundError):
        ListVersions(store=h.store)(MODEL)
    assert ListEntities(store=h.store)("ml-local", EntityKind.MODEL) == []


def test_deleting_a_missing_version_is_not_found_and_deletes_nothing(h: Harness) -> None:
    _upload(h, "1.0")

    with pytest.raises(NotFoundError):
        DeleteVersion(store=h.store)(MODEL.with_version("9.9"))
    with pytest.raises(NotFoundError):
        h.store.delete_version(MODEL.with_version("9.9"))

    assert _versions(h) == ["1.0"]


def test_delete_refuses_latest_and_a_dry_run_deletes_nothing(h: Harness) -> None:
    _upload(h, "1.0")

    with pytest.raises(ValidationError, match="latest"):
        DeleteVersion(store=h.store)(MODEL.with_version("latest"))
    planned = DeleteVersion(store=h.store)(MODEL.with_version("1.0"), dry_run=True)

    assert planned.dry_run
    assert _versions(h) == ["1.0"]


def test_latest_is_the_newest_version_by_creation_time(h: Harness) -> None:
    _upload(h, "1.0")
    _upload(h, "2.0")
    resolve = ResolveVersion(store=h.store)
    assert resolve(MODEL.with_version("latest")).version == "2.0"
    if h.controls_clock:  # by time, not by name: a later "0.5" is the newest
        _upload(h, "0.5")
        assert resolve(MODEL.with_version("latest")).version == "0.5"
    assert resolve(MODEL.with_version("1.0")).version == "1.0"  # a name stays as given


def test_latest_of_an_entity_without_versions_is_not_found(h: Harness) -> None:
    _upload(h, "1.0")
    other = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="other", version="latest")
    with pytest.raises(NotFoundError):
        ResolveVersion(store=h.store)(other)


def test_the_repositories_listing_names_the_machine_learning_repositories(h: Harness) -> None:
    _upload(h, "1.0")

    found = ListRepositories(store=h.store)()

    assert "ml-local" in [r.key for r in found]
    assert all(r.package_type == "machinelearning" for r in found)
    assert [r.key for r in found] == sorted(r.key for r in found)


@pytest.fixture
def h(harness: Harness) -> Harness:
    return harness
