"""The commit of a version of many files: its body is the manifest encoded in pieces,
byte for byte what urllib3's form encoder writes, and the server's answer to it (the
emulator echoes the whole manifest, as a server may) is read and let go, not kept."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import urllib3

from emulator import Emulator
from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RetryPolicy
from frogml.adapters.artifactory._commit import commit_body
from frogml.adapters.artifactory._http import Answer, HttpClient
from frogml.adapters.artifactory._stall import HEAD_BYTES
from frogml.domain.errors import TransientError
from frogml.domain.model.entity import EntityKind
from frogml.domain.model.kind import Area
from frogml.domain.model.manifest import Artifact, build_manifest
from frogml.domain.model.manifest_json import encode_manifest
from frogml.domain.model.metadata import SerializationMetadata
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration.helpers import FakeSleep, filesystem, write_tree

FORMAT = SerializationMetadata(
    framework="f", framework_version="1", serialization_format="s", runtime="r", runtime_version="3"
)


def _artifacts(count: int) -> list[tuple[Area, Artifact]]:
    return [
        (Area.FILES, Artifact(artifact_path=f"d/f{i}.bin", size=i, sha256=f"{i:064x}"))
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [1, 1024, 2500])  # one batch, a full one, a part one
def test_the_commit_body_is_what_urllib3_writes_with_the_same_boundary(count: int) -> None:
    entries = [*_artifacts(count), (Area.CODE, Artifact("code.zip", 3, "c" * 64))]
    manifest = build_manifest(
        EntityKind.MODEL, created_date="2026-12-03", entries=entries, model_format=FORMAT
    )
    body, content_type = commit_body(manifest, "modelManifest", b'{"a":"b"}')
    boundary = content_type.removeprefix("multipart/form-data; boundary=")
    expected, expected_type = urllib3.encode_multipart_formdata(
        [
            (
                "modelManifest",
                ("modelManifest", encode_manifest(manifest), "application/octet-stream"),
            ),
            ("additionalData", ("additionalData", b'{"a":"b"}', "application/octet-stream")),
        ],
        boundary=boundary,
    )
    assert (b"".join(body), content_type) == (expected, expected_type)
    assert len(boundary) == 32
    assert commit_body(manifest, "modelManifest", b"null")[1] != content_type  # fresh each


def _store(emulator: Emulator) -> ArtifactoryStore:
    settings = ArtifactorySettings(
        credentials=Credentials(url=emulator.url, access_token="test-token"),
        retry=RetryPolicy(max_attempts=2, backoff_base=0.01, time_budget=30),
    )
    return ArtifactoryStore(settings, sleep=FakeSleep())


def test_the_servers_echo_of_a_big_manifest_is_not_kept(
    emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_tree(tmp_path / "src", {f"d{i // 100}/f{i}.bin": b"x%d" % i for i in range(600)})
    answers: list[tuple[str, Answer]] = []
    exchange = HttpClient.exchange

    def recording(self: HttpClient, method: str, url: str, **kwargs: Any) -> Answer:
        answer = exchange(self, method, url, **kwargs)
        answers.append((f"{method} {url}", answer))
        return answer

    monkeypatch.setattr(HttpClient, "exchange", recording)
    Upload(store=_store(emulator), filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="data", version="1", source_path=str(source)
        )
    )
    (commit,) = [a for what, a in answers if what.startswith("PUT") and "/entity-manifest/" in what]
    assert commit.status == 201
    # The emulator sent the manifest back (tens of KiB): let go, but for the first bytes
    # that tell an HTML page (a proxy's) from a result.
    assert len(commit.body) == HEAD_BYTES
    echoed = int(commit.headers["Content-Length"])
    assert echoed > 600 * 100


def test_a_let_go_answer_cut_short_is_still_a_failure_worth_another_attempt() -> None:
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 100000\r\n\r\n" + b"x" * 500)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    settings = ArtifactorySettings(credentials=Credentials(url=url, access_token="t"))
    client = HttpClient(settings, sleep=FakeSleep(), clock=time.monotonic)
    try:
        with pytest.raises(TransientError, match=r"cut short|connection|ended|broken|reset"):
            client.send("PUT", f"{url}/x", what="committing x", body=[b"ab", b"cd"], keep=False)
    finally:
        client.close()
        thread.join(10)
        listener.close()
