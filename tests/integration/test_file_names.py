"""Any file name a disk holds round-trips through Artifactory, whether the server writes
its URLs raw (as Artifactory does) or percent-encoded; names that cannot be stored
safely get one clear error before anything is sent."""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.app import Emulator
from emulator.fixtures import EMULATOR_TOKEN
from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RetryPolicy
from frogml.adapters.filesystem import LocalFileSystem
from frogml.domain.errors import ValidationError
from frogml.domain.model.ignore import is_ignored
from frogml.domain.model.names import check_artifact_path
from frogml.domain.model.patterns import IGNORE_FILE
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration.helpers import files_under, write_tree

EXAMPLES = 100  # per URL mode; derandomized (see tests/conftest.py)

# Characters that break naive URL handling, and scripts beyond ASCII.
_ODD = " #;?%+&=,'\"[](){}!$@^`~-_.ü模型éé\u0301ß"


def _safe_segment(segment: str) -> bool:
    # Names that are only dots or blanks (" ", ". .") are refused by design: servers and
    # disks may trim them into "" or "..". tests/unit/test_names.py covers those.
    try:
        check_artifact_path(segment)
    except ValidationError:
        return False
    return len(segment.encode()) <= 200


_SEGMENT = st.text(alphabet=st.sampled_from(_ODD + "abcXYZ019"), min_size=1, max_size=24).filter(
    _safe_segment
)
_PATH = st.lists(_SEGMENT, min_size=1, max_size=4).map("/".join)


def _storable(path: str) -> bool:
    return not is_ignored(path) and IGNORE_FILE not in path.split("/")


def _one_disk_name(paths: list[str]) -> bool:
    """No two paths that one disk cannot hold both (same NFC form, file vs folder)."""
    keys = [unicodedata.normalize("NFC", p) for p in paths]
    if len(set(keys)) != len(keys):
        return False
    return not any(other.startswith(key + "/") for key in keys for other in keys)


_TREES = st.lists(_PATH.filter(_storable), min_size=1, max_size=5, unique=True).filter(
    _one_disk_name
)


@dataclass
class Server:
    """Where the names go: the emulator in one URL mode, or a real Artifactory."""

    store: ArtifactoryStore
    repository: str
    emulator: Emulator | None

    @property
    def emu(self) -> Emulator:
        if self.emulator is None:
            pytest.skip("needs the emulator's request counters")
        return self.emulator


@pytest.fixture(scope="module", params=["raw", "encoded"])
def server(
    request: pytest.FixtureRequest, real_artifactory: tuple[Credentials, str] | None
) -> Iterator[Server]:
    if real_artifactory is not None:  # the real server writes URLs its own way: run once
        if request.param == "encoded":
            pytest.skip("a real Artifactory chooses its own URL form")
        credentials, repository = real_artifactory
        store = ArtifactoryStore(ArtifactorySettings(credentials=credentials))
        yield Server(store, repository, None)
        store.close()
        return
    with Emulator(tokens={EMULATOR_TOKEN}, url_mode=request.param) as emulator:
        credentials = Credentials(url=emulator.url, access_token=EMULATOR_TOKEN, source="tests")
        settings = ArtifactorySettings(credentials=credentials, retry=RetryPolicy(max_attempts=1))
        store = ArtifactoryStore(settings)
        yield Server(store, "ml-local", emulator)
        store.close()


_counter = iter(range(1_000_000))
_RUN = uuid.uuid4().hex[:8]  # versions stay new on a real server used before


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paths=_TREES)
def test_any_file_name_round_trips(server: Server, paths: list[str]) -> None:
    store, repository = server.store, server.repository
    version = f"{next(_counter)}-{_RUN}"
    work = Path(tempfile.mkdtemp(prefix="frogml-names-"))
    try:
        files = {path: f"bytes of {path}".encode() for path in paths}
        source = write_tree(work / "src", files)
        disk = LocalFileSystem(cache_dir=work / "cache")
        Upload(store=store, filesystem=disk)(
            UploadDatasetRequest(
                repository=repository, name="names", source_path=str(source), version=version
            )
        )
        Download(store=store, filesystem=disk)(
            DownloadDatasetRequest(
                repository=repository, name="names", version=version, target_path=str(work / "o")
            )
        )
        assert files_under(work / "o") == files
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_names_differing_only_by_case_are_two_files(server: Server, tmp_path: Path) -> None:
    store, repository = server.store, server.repository
    files = {"Model.bin": b"upper", "model.bin": b"lower", "DIR/a": b"1", "dir/a": b"2"}
    source = write_tree(tmp_path / "src", files)
    disk = LocalFileSystem(cache_dir=tmp_path / "cache")
    Upload(store=store, filesystem=disk)(
        UploadDatasetRequest(
            repository=repository, name="case", source_path=str(source), version=_RUN
        )
    )
    Download(store=store, filesystem=disk)(
        DownloadDatasetRequest(
            repository=repository, name="case", version=_RUN, target_path=str(tmp_path / "o")
        )
    )
    assert files_under(tmp_path / "o") == files


def _write_raw(folder: Path, name: bytes, data: bytes = b"x") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(os.path.join(os.fsencode(folder), name), os.O_WRONLY | os.O_CREAT, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (b"caf\xe9.csv", "is not valid UTF-8"),  # Latin-1 bytes, as an old disk may hold
        (b"back\\slash.csv", "backslash"),
    ],
)
def test_a_name_that_cannot_be_stored_is_refused_before_anything_is_sent(
    server: Server, tmp_path: Path, name: bytes, message: str
) -> None:
    emulator, store = server.emu, server.store
    _write_raw(tmp_path / "src", b"fine.csv")
    _write_raw(tmp_path / "src", name)
    emulator.counters.reset()
    with pytest.raises(ValidationError, match=message):
        Upload(store=store, filesystem=LocalFileSystem(cache_dir=tmp_path / "cache"))(
            UploadDatasetRequest(
                repository="ml-local", name="bad", source_path=str(tmp_path / "src")
            )
        )
    assert emulator.counters.snapshot().requests == {}


def test_two_unicode_forms_of_one_name_are_refused_before_anything_is_sent(
    server: Server, tmp_path: Path
) -> None:
    emulator, store = server.emu, server.store
    write_tree(tmp_path / "src", {"caf\u00e9.csv": b"composed", "cafe\u0301.csv": b"decomposed"})
    emulator.counters.reset()
    with pytest.raises(ValidationError, match="differ only by Unicode normalization"):
        Upload(store=store, filesystem=LocalFileSystem(cache_dir=tmp_path / "cache"))(
            UploadDatasetRequest(
                repository="ml-local", name="nfc", source_path=str(tmp_path / "src")
            )
        )
    assert emulator.counters.snapshot().requests == {}
