"""Answers no well-behaved server sends: each is a clear domain error, and nothing is written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RetryPolicy
from frogml.adapters.artifactory import _http as http_module
from frogml.domain.errors import ProtocolError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.download import Download, DownloadModelRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration._stub import Canned, StubServer
from tests.integration.helpers import FakeSleep, files_under, filesystem, fraud_manifest, write_tree

DATA = b"model bytes"
SHA = hashlib.sha256(DATA).hexdigest()
ML = "/artifactory/api/machinelearning/ml-local"
MANIFEST_PATH = f"{ML}/model/entity-manifest/fraud/1.0"
NO_PROPERTIES: Canned = (
    404,
    b'{"errors":[{"status":404,"message":"No properties could be found."}]}',
    {},
)
PROPS_PATH = "/artifactory/api/storage/ml-local/models/fraud/1.0"


def _store(url: str, token: str = "tok") -> ArtifactoryStore:  # noqa: S107
    credentials = Credentials(url=url, access_token=token)
    settings = ArtifactorySettings(credentials=credentials, retry=RetryPolicy(max_attempts=2))
    return ArtifactoryStore(settings, sleep=FakeSleep())


def _manifest(artifact: dict[str, object]) -> Canned:
    return (200, fraud_manifest([artifact]), {})


def _download(store: ArtifactoryStore, out: Path) -> None:
    Download(store=store, filesystem=filesystem())(
        DownloadModelRequest(
            repository="ml-local", name="fraud", version="1.0", target_path=str(out)
        )
    )


@pytest.mark.parametrize(
    ("artifact", "message"),
    [
        ({"artifact_path": "../../escape.txt", "size": 11, "checksums": {"sha2": SHA}}, "manifest"),
        ({"artifact_path": "/etc/passwd", "size": 11, "checksums": {"sha2": SHA}}, "manifest"),
        (
            {"artifact_path": "a\u00a0/..\u00a0/x", "size": 11, "checksums": {"sha2": SHA}},
            "manifest",
        ),
        ({"artifact_path": "a.bin", "size": "11", "checksums": {"sha2": SHA}}, "manifest"),
        ({"artifact_path": "a.bin", "size": 11}, "manifest"),
        (
            {
                "artifact_path": "a.bin",
                "size": 11,
                "checksums": {"sha2": SHA},
                "download_url": "{base}/ml-local/models/fraud/1.0/model/%2e%2e/%2e%2e/2.0/a.bin",
            },
            "unsafe download_url",
        ),
        (
            {
                "artifact_path": "a.bin",
                "size": 11,
                "checksums": {"sha2": SHA},
                "download_url": "{base}/ml-local/models/fraud/1.0/model/a.bin?x=1",
            },
            "unsafe download_url",
        ),
    ],
)
def test_an_unsafe_manifest_is_refused_before_anything_is_written(
    tmp_path: Path, artifact: dict[str, object], message: str
) -> None:
    with StubServer({("GET", PROPS_PATH): NO_PROPERTIES}) as stub:
        url = artifact.get("download_url")
        if isinstance(url, str):
            artifact = {**artifact, "download_url": url.replace("{base}", stub.url)}
        stub.routes[("GET", MANIFEST_PATH)] = _manifest(artifact)
        with pytest.raises(ProtocolError, match=message):
            _download(_store(stub.url), tmp_path / "out")
    assert not (tmp_path / "out").exists() or files_under(tmp_path / "out") == {}
    assert [
        r for r in stub.requests if "/models/" in r[1] and r[0] == "GET" and "storage" not in r[1]
    ] == []


def test_malformed_manifest_json_is_a_protocol_error(tmp_path: Path) -> None:
    with (
        StubServer({("GET", MANIFEST_PATH): (200, b'{"created_date": ', {})}) as stub,
        pytest.raises(ProtocolError, match="malformed manifest"),
    ):
        _download(_store(stub.url), tmp_path / "out")


@pytest.mark.parametrize(
    "answer",
    [
        b"not json",
        b'{"filesUploadPath": "datasets/d/tmp/1/1/dataset"}',
        b'{"filesUploadPath": "datasets/other/tmp/1/1/dataset", "dependenciesUploadPath": "x",'
        b' "codeUploadPath": "y", "transactionId": "1732700000123"}',
        b'{"filesUploadPath": "datasets/d/tmp/1/1/dataset", "dependenciesUploadPath": "x",'
        b' "codeUploadPath": "y", "transactionId": "yesterday"}',
        b'{"filesUploadPath": "datasets/d/tmp/1/../../dataset", "dependenciesUploadPath": "x",'
        b' "codeUploadPath": "y", "transactionId": "1732700000123"}',
    ],
)
def test_a_bad_start_answer_is_a_protocol_error_and_sends_no_file(
    tmp_path: Path, answer: bytes
) -> None:
    source = write_tree(tmp_path / "src", {"a.txt": b"a"})
    routes: dict[tuple[str, str], Canned] = {
        ("POST", f"{ML}/dataset/d/start-transaction/1"): (200, answer, {})
    }
    with StubServer(routes) as stub, pytest.raises(ProtocolError):
        Upload(store=_store(stub.url), filesystem=filesystem())(
            UploadDatasetRequest(
                repository="ml-local", name="d", version="1", source_path=str(source)
            )
        )
    assert [r[0] for r in stub.requests] == ["POST"]


def test_a_malformed_listing_is_a_protocol_error() -> None:
    path = "/artifactory/api/storage/ml-local/models/fraud"
    with StubServer({("GET", path): (200, b'{"files": [{"folder": true}]}', {})}) as stub:
        ref = EntityRef(repository="ml-local", kind=EntityKind.MODEL, name="fraud")
        with pytest.raises(ProtocolError, match="it answered JSON of another shape"):
            _store(stub.url).list_versions(ref)


def test_without_a_download_url_the_published_layout_is_used(tmp_path: Path) -> None:
    artifact = {"artifact_path": "w/a.bin", "size": len(DATA), "checksums": {"sha2": SHA}}
    routes: dict[tuple[str, str], Canned] = {
        ("GET", MANIFEST_PATH): _manifest(artifact),
        ("GET", PROPS_PATH): NO_PROPERTIES,
        ("GET", "/artifactory/ml-local/models/fraud/1.0/model/w/a.bin"): (200, DATA, {}),
    }
    with StubServer(routes) as stub:
        _download(_store(stub.url), tmp_path / "out")
    assert files_under(tmp_path / "out") == {"w/a.bin": DATA}


@pytest.mark.parametrize("encoded", [False, True])
def test_a_raw_or_encoded_download_url_with_odd_characters_is_fetched_by_its_own_url(
    tmp_path: Path, encoded: bool
) -> None:
    name = "tok enizer #1;k=v.json"
    artifact = {"artifact_path": name, "size": len(DATA), "checksums": {"sha2": SHA}}
    escaped = "tok%20enizer%20%231%3Bk%3Dv.json"
    file_path = f"/artifactory/ml-local/models/fraud/1.0/model/{escaped}"
    with StubServer({("GET", file_path): (200, DATA, {})}) as stub:
        base = stub.url + "/ml-local/models/fraud/1.0/model/"
        artifact["download_url"] = base + (escaped if encoded else name)
        stub.routes[("GET", MANIFEST_PATH)] = _manifest(artifact)
        _download(_store(stub.url), tmp_path / "out")
    assert files_under(tmp_path / "out") == {name: DATA}
    assert [p for m, p, _ in stub.requests if "/models/" in p] == [file_path]


def test_a_download_url_on_another_origin_is_fetched_from_the_users_origin(
    tmp_path: Path,
) -> None:
    # The server's configured base URL may differ from the one the user typed: the file
    # comes from the typed origin, and credentials never go to the other one.
    artifact = {
        "artifact_path": "a.bin",
        "size": len(DATA),
        "checksums": {"sha2": SHA},
        "download_url": "http://evil.example/artifactory/ml-local/models/fraud/1.0/model/a.bin",
    }
    file_path = "/artifactory/ml-local/models/fraud/1.0/model/a.bin"
    routes: dict[tuple[str, str], Canned] = {
        ("GET", MANIFEST_PATH): _manifest(artifact),
        ("GET", file_path): (200, DATA, {}),
    }
    with StubServer(routes) as stub:
        _download(_store(stub.url, token="tok-SECRET"), tmp_path / "out")
    assert files_under(tmp_path / "out") == {"a.bin": DATA}
    fetched = [h for m, p, h in stub.requests if p == file_path]
    assert fetched[0]["authorization"] == "Bearer tok-SECRET"


def test_credentials_do_not_follow_a_redirect_to_another_host(tmp_path: Path) -> None:
    with StubServer({}) as cdn, StubServer({("GET", PROPS_PATH): NO_PROPERTIES}) as server:
        file_path = "/artifactory/ml-local/models/fraud/1.0/model/a.bin"
        cdn.routes[("GET", "/signed/a.bin")] = (200, DATA, {})
        cdn_url = cdn.url.replace("/artifactory", "/signed/a.bin")
        server.routes[("GET", file_path)] = (302, b"", {"Location": cdn_url})
        artifact = {
            "artifact_path": "a.bin",
            "size": len(DATA),
            "checksums": {"sha2": SHA},
            "download_url": server.url + file_path.removeprefix("/artifactory"),
        }
        server.routes[("GET", MANIFEST_PATH)] = _manifest(artifact)
        _download(_store(server.url, token="tok-SECRET"), tmp_path / "out")
    assert files_under(tmp_path / "out") == {"a.bin": DATA}
    sent_to_server = [h for m, p, h in server.requests if p == file_path]
    sent_to_cdn = [h for m, p, h in cdn.requests]
    assert sent_to_server[0]["authorization"] == "Bearer tok-SECRET"
    assert len(sent_to_cdn) == 1
    assert "authorization" not in sent_to_cdn[0]
    assert sent_to_cdn[0]["user-agent"].startswith("frogml/")


def test_an_answer_larger_than_the_cap_is_refused_without_reading_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_module, "MAX_ANSWER_BYTES", 4096)
    huge = b'{"created_date": "' + b"x" * 100_000 + b'"}'
    with (
        StubServer({("GET", MANIFEST_PATH): (200, huge, {})}) as stub,
        pytest.raises(ProtocolError, match="larger than"),
    ):
        _download(_store(stub.url), tmp_path / "out")
    assert not (tmp_path / "out").exists()
