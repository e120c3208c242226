"""A local file that fails while it is streamed is a local error, not a network one."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pytest

from frogml.adapters.artifactory import ArtifactoryStore
from frogml.adapters.artifactory.settings import MultipartPolicy
from frogml.domain.errors import FrogMLError, IntegrityError, NotFoundError, TransientError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.ports.artifact_store import Area, UploadItem
from frogml.domain.ports.progress import NULL_EVENTS
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration.helpers import RecordingEvents, Target, filesystem, unique

DATA = bytes(3 << 20)  # several blocks: the failure comes while urllib3 streams the body


class _FailsAfterOneMiB(io.BytesIO):
    def read(self, size: int | None = -1) -> bytes:
        if self.tell() >= 1 << 20:
            raise PermissionError(13, "Permission denied")
        return super().read(size)


@dataclass(frozen=True)
class UnreadableSource:
    rel_path: str = "weights.bin"
    size: int = len(DATA)
    sha256: str = hashlib.sha256(DATA).hexdigest()

    def open(self) -> BinaryIO:
        return _FailsAfterOneMiB(DATA)


def test_a_read_error_during_an_upload_names_the_file_and_is_not_retried(
    emulator_target: Target,
) -> None:
    store = emulator_target.store()
    ref = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name="d", version="1")
    transaction = store.begin(ref)
    before = emulator_target.emu.counters.snapshot().count("deploy")

    with pytest.raises(FrogMLError) as caught:
        store.upload(
            transaction, [UploadItem(area=Area.FILES, source=UnreadableSource())], NULL_EVENTS
        )

    assert not isinstance(caught.value, TransientError)
    assert "cannot read 'weights.bin': Permission denied" in str(caught.value)
    deploys = emulator_target.emu.counters.snapshot().count("deploy") - before
    assert deploys <= 2  # the checksum deploy, at most one cut upload: no retries


@dataclass
class _GrowsOnStart(RecordingEvents):
    """Appends to ``path`` once the upload begins: a file still being written."""

    path: Path | None = None

    def started(self, *, files: int, total_bytes: int) -> None:
        super().started(files=files, total_bytes=total_bytes)
        assert self.path is not None
        with self.path.open("ab") as file:
            file.write(b"more")


def _grow_while_uploading(store: ArtifactoryStore, tmp_path: Path, size: int) -> str:
    source = tmp_path / "src"
    source.mkdir()
    (source / "w.bin").write_bytes(os.urandom(size))
    name = unique("grows")
    with pytest.raises(IntegrityError) as caught:
        Upload(store=store, filesystem=filesystem())(
            UploadDatasetRequest(
                repository="ml-local", name=name, version="1", source_path=str(source)
            ),
            events=_GrowsOnStart(path=source / "w.bin"),
        )
    assert "w.bin grew while it was uploaded" in str(caught.value)
    ref = EntityRef(repository="ml-local", kind=EntityKind.DATASET, name=name)
    with pytest.raises(NotFoundError):  # nothing published: no version, nor the entity
        store.list_versions(ref)
    return name


def test_a_file_that_grows_while_it_is_uploaded_is_refused(
    artifactory_target: Target, tmp_path: Path
) -> None:
    # The embedded store and small files refused it already; one PUT sent the size
    # hashed and published a stale snapshot.
    _grow_while_uploading(artifactory_target.store(), tmp_path, 200_000)


def test_a_file_that_grows_while_it_is_uploaded_as_parts_is_refused(
    emulator_target: Target, tmp_path: Path
) -> None:
    policy = MultipartPolicy(threshold=2 << 20, part_size=1 << 20, parts=3, min_round_trip=0.0)
    settings = dataclasses.replace(emulator_target.settings, multipart=policy)
    store = ArtifactoryStore(settings, sleep=emulator_target.sleep)
    before = emulator_target.emu.counters.snapshot().count("multipart_create")
    _grow_while_uploading(store, tmp_path, 3 << 20)
    assert emulator_target.emu.counters.snapshot().count("multipart_create") > before
