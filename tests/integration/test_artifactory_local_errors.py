"""A local file that fails while it is streamed is a local error, not a network one."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import BinaryIO

import pytest

from frogml.domain.errors import FrogMLError, TransientError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.ports.artifact_store import Area, UploadItem
from frogml.domain.ports.progress import NULL_EVENTS
from tests.integration.helpers import Target

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
