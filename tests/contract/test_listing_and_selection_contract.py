"""Listing entities and choosing files behave the same over every store and filesystem."""

from __future__ import annotations

import pytest

from frogml.domain.errors import NotFoundError
from frogml.domain.model.entity import EntityKind
from frogml.domain.services.list_entities import ListEntities
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.contract.conftest import Harness


def _upload(h: Harness, name: str, namespace: str | None = None, **patterns: str) -> list[str]:
    request = UploadDatasetRequest(
        repository="ml-local",
        name=name,
        namespace=namespace,
        source_path=h.path("src"),
        version="v1",
        include=tuple(patterns.get("include", "").split()),
        exclude=tuple(patterns.get("exclude", "").split()),
    )
    result = Upload(store=h.store, filesystem=h.filesystem)(request)
    return [a.artifact_path for a in result.dataset_version.manifest.dataset_artifacts]


@pytest.fixture
def source(harness: Harness) -> Harness:
    harness.write("src/train.csv", b"a,b\n1,2\n")
    harness.write("src/logs/run.log", b"epoch 1")
    harness.write("src/notes.md", b"# notes")
    harness.write("src/.frogmlignore", b"logs/\n")
    return harness


def test_entities_with_a_published_version_are_listed(source: Harness) -> None:
    _upload(source, "rows")
    _upload(source, "rows", namespace="team")
    listed = ListEntities(store=source.store)("ml-local", EntityKind.DATASET)
    assert [e.path for e in listed] == ["rows", "team/rows"]
    assert ListEntities(store=source.store)("ml-local", EntityKind.MODEL) == []


def test_listing_a_missing_repository_is_not_found(harness: Harness) -> None:
    with pytest.raises(NotFoundError):
        ListEntities(store=harness.store)("no-such-repo", EntityKind.MODEL)


def test_the_ignore_file_and_patterns_choose_the_files(source: Harness) -> None:
    assert _upload(source, "all") == ["notes.md", "train.csv"]
    assert _upload(source, "csv", include="*.csv") == ["train.csv"]
    assert _upload(source, "back", exclude="!logs/ *.md") == ["logs/run.log", "train.csv"]
