"""Shared helpers of the Artifactory integration tests."""

from __future__ import annotations

import dataclasses
import os
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore
from frogml.adapters.filesystem import LocalFileSystem
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.ports.credentials import Credentials

if TYPE_CHECKING:
    from emulator import Emulator

__all__ = [
    "MODEL_FORMAT",
    "FakeSleep",
    "RecordingEvents",
    "Target",
    "files_under",
    "unique",
    "write_tree",
]

MODEL_FORMAT = SerializationMetadata(
    framework="pytorch",
    framework_version="2.5.1",
    serialization_format="pt",
    runtime="python",
    runtime_version="3.11",
)


class FakeSleep:
    """Records the delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self._lock = threading.Lock()

    def __call__(self, seconds: float) -> None:
        with self._lock:
            self.delays.append(seconds)


@dataclass(frozen=True)
class Target:
    """Where the integration tests run: the emulator or a real server."""

    settings: ArtifactorySettings
    repository: str
    emulator: Emulator | None
    sleep: Callable[[float], None]

    @property
    def emu(self) -> Emulator:
        assert self.emulator is not None
        return self.emulator

    @property
    def delays(self) -> list[float]:
        assert isinstance(self.sleep, FakeSleep)
        return self.sleep.delays

    def store(self, **credentials: str | None) -> ArtifactoryStore:
        """A store for this target; keyword arguments replace fields of the credentials."""
        settings = self.settings
        if credentials:
            changed = dataclasses.replace(settings.credentials, **credentials)  # type: ignore[arg-type]
            settings = dataclasses.replace(settings, credentials=changed)
        return ArtifactoryStore(settings, sleep=self.sleep)

    def user(self, user: str | None, password: str | None) -> ArtifactoryStore:
        url = self.settings.credentials.url
        creds = Credentials(url=url, user=user, password=password, source="tests")
        return ArtifactoryStore(
            dataclasses.replace(self.settings, credentials=creds), sleep=self.sleep
        )


@dataclass
class RecordingEvents:
    """A TransferEvents that remembers what it was told (thread-safe)."""

    advanced_bytes: int = 0
    done: dict[str, bool] = field(default_factory=dict)
    started_with: tuple[int, int] | None = None
    finished_calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def started(self, *, files: int, total_bytes: int) -> None:
        self.started_with = (files, total_bytes)

    def advanced(self, nbytes: int) -> None:
        with self._lock:
            self.advanced_bytes += nbytes

    def file_done(self, rel_path: str, *, transferred: bool) -> None:
        with self._lock:
            self.done[rel_path] = transferred

    def finished(self) -> None:
        self.finished_calls += 1


def unique(prefix: str) -> str:
    """A name no other test (nor an earlier run on a real server) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def write_tree(root: Path, files: Mapping[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def files_under(root: Path) -> dict[str, bytes]:
    """Every regular file below ``root`` (hidden partial files included) by POSIX path."""
    found: dict[str, bytes] = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def filesystem() -> LocalFileSystem:
    return LocalFileSystem()


def fraud_manifest(artifacts: Sequence[Mapping[str, object]]) -> bytes:
    """The manifest JSON of model ``fraud`` version ``1.0`` holding ``artifacts``, as
    Artifactory answers it: for the raw servers of tests that write answers by hand."""
    return msgspec.json.encode(
        {
            "created_date": "2026-11-27T09:15:02.12",
            "model_artifacts": list(artifacts),
            "model_format": {
                "framework": "pytorch",
                "framework_version": "2.5.1",
                "serialization_format": "pt",
                "runtime": "python",
                "runtime_version": "3.11",
            },
            "id": "fraud",
            "version": "1.0",
        }
    )
