"""The four-step ML transaction: start, upload, commit, read."""

from __future__ import annotations

import re

import pytest
import urllib3

from emulator import Emulator

from .conftest import TOKEN
from .mlclient import artifact, commit, read, start, upload

WEIGHTS, REQS, CODE = b"weights" * 100, b"numpy==2.0\n", b"PK-code-archive"


def _model_manifest() -> dict[str, object]:
    return {
        "created_date": "2026-11-27T09:15:02.12",
        "model_artifacts": [artifact("weights/model.pt", WEIGHTS)],
        "model_format": {"framework": "pytorch", "serialization_format": "pt"},
        "dependency_artifacts": [artifact("requirements.txt", REQS)],
        "code_artifacts": artifact("code.zip", CODE),
    }


def _upload_model(
    http: urllib3.PoolManager, emu: Emulator, entity: str, version: str
) -> dict[str, str]:
    started = start(http, emu, entity, version)
    assert started.status == 200
    paths: dict[str, str] = started.json()
    upload(http, emu, paths["filesUploadPath"], "weights/model.pt", WEIGHTS)
    upload(http, emu, paths["dependenciesUploadPath"], "requirements.txt", REQS)
    upload(http, emu, paths["codeUploadPath"], "code.zip", CODE)
    return paths


def test_start_answers_the_upload_paths(emulator: Emulator, http: urllib3.PoolManager) -> None:
    paths = start(http, emulator, "acme/fraud", "1.0.0").json()
    txid = paths["transactionId"]
    assert re.fullmatch(r"\d{13}", txid)
    lead = f"models/acme/fraud/tmp/1.0.0/{txid}"
    assert paths == {
        "filesUploadPath": f"{lead}/model",
        "leadUploadPath": lead,
        "dependenciesUploadPath": f"{lead}/dependencies",
        "codeUploadPath": f"{lead}/code",
        "transactionId": txid,
    }


def test_start_without_a_version_picks_a_utc_timestamp(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    paths = start(http, emulator, "fraud").json()
    match = re.fullmatch(r"models/fraud/tmp/([^/]+)/\d+/model", paths["filesUploadPath"])
    assert match is not None
    assert re.fullmatch(r"\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d", match[1])


def test_transaction_ids_are_unique(emulator: Emulator, http: urllib3.PoolManager) -> None:
    ids = {start(http, emulator, "m", f"v{i}").json()["transactionId"] for i in range(20)}
    assert len(ids) == 20


@pytest.mark.parametrize("entity", ["bad name", "a..b", "x" * 61, "a/b/c"])
def test_invalid_names_are_400(emulator: Emulator, http: urllib3.PoolManager, entity: str) -> None:
    response = start(http, emulator, entity, "1.0")
    assert response.status == 400
    assert response.json()["errors"][0]["status"] == 400


def test_commit_publishes_and_read_enriches_the_manifest(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    paths = _upload_model(http, emulator, "acme/fraud", "1.0.0")
    committed = commit(
        http,
        emulator,
        "acme/fraud",
        "1.0.0",
        paths["transactionId"],
        _model_manifest(),
        {"stage": "prod"},
    )
    assert committed.status == 201
    got = read(http, emulator, "acme/fraud", "1.0.0")
    assert got.status == 200
    manifest = got.json()
    assert (manifest["id"], manifest["version"]) == ("acme/fraud", "1.0.0")
    assert manifest["created_date"] == "2026-11-27T09:15:02.12"
    assert manifest["model_format"]["framework"] == "pytorch"
    base = f"{emulator.url}/ml-local/models/acme/fraud/1.0.0"
    assert manifest["model_artifacts"][0]["download_url"] == f"{base}/model/weights/model.pt"
    assert (
        manifest["dependency_artifacts"][0]["download_url"]
        == f"{base}/dependencies/requirements.txt"
    )
    assert isinstance(manifest["code_artifacts"], list)
    assert manifest["code_artifacts"][0]["download_url"] == f"{base}/code/code.zip"
    assert (
        http.request("GET", manifest["model_artifacts"][0]["download_url"], headers=TOKEN).data
        == WEIGHTS
    )


def test_commit_sets_properties_and_drops_the_tmp_area(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    paths = _upload_model(http, emulator, "fraud", "2.0")
    assert (
        commit(
            http,
            emulator,
            "fraud",
            "2.0",
            paths["transactionId"],
            _model_manifest(),
            {"stage": "prod", "n": 3},
        ).status
        == 201
    )
    assert not any("/tmp/" in p for p in emulator.paths("ml-local"))
    assert "models/fraud/2.0/model/weights/model.pt" in emulator.paths("ml-local")
    props = http.request(
        "GET", f"{emulator.url}/api/storage/ml-local/models/fraud/2.0?properties", headers=TOKEN
    )
    assert props.json()["properties"] == {"stage": ["prod"], "n": ["3"]}


def test_an_uncommitted_version_is_invisible(emulator: Emulator, http: urllib3.PoolManager) -> None:
    _upload_model(http, emulator, "fraud", "3.0")
    assert read(http, emulator, "fraud", "3.0").status == 404
    assert all("/tmp/3.0/" in p for p in emulator.paths("ml-local", "models/fraud"))


def test_a_published_version_cannot_be_started_again(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    paths = _upload_model(http, emulator, "fraud", "1.0")
    commit(http, emulator, "fraud", "1.0", paths["transactionId"], _model_manifest())
    again = start(http, emulator, "fraud", "1.0")
    assert again.status == 409
    assert again.json()["errors"][0]["status"] == 409


def test_a_second_commit_of_a_transaction_is_409(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    paths = _upload_model(http, emulator, "fraud", "1.0")
    assert (
        commit(http, emulator, "fraud", "1.0", paths["transactionId"], _model_manifest()).status
        == 201
    )
    assert (
        commit(http, emulator, "fraud", "1.0", paths["transactionId"], _model_manifest()).status
        == 409
    )


def test_a_competing_transaction_cannot_republish(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    first = _upload_model(http, emulator, "fraud", "1.0")
    second = _upload_model(http, emulator, "fraud", "1.0")
    assert (
        commit(http, emulator, "fraud", "1.0", first["transactionId"], _model_manifest()).status
        == 201
    )
    assert (
        commit(http, emulator, "fraud", "1.0", second["transactionId"], _model_manifest()).status
        == 409
    )


def test_an_unknown_transaction_is_409(emulator: Emulator, http: urllib3.PoolManager) -> None:
    response = commit(http, emulator, "fraud", "1.0", "1700000000000", _model_manifest())
    assert response.status == 409
    assert read(http, emulator, "fraud", "1.0").status == 404


def test_a_transaction_of_another_version_is_409(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    paths = _upload_model(http, emulator, "fraud", "1.0")
    assert (
        commit(http, emulator, "fraud", "9.9", paths["transactionId"], _model_manifest()).status
        == 409
    )


def test_a_manifest_naming_a_missing_file_publishes_nothing(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    paths = _upload_model(http, emulator, "fraud", "1.0")
    manifest = _model_manifest()
    manifest["model_artifacts"] = [
        artifact("weights/model.pt", WEIGHTS),
        artifact("never.bin", b"x"),
    ]
    response = commit(http, emulator, "fraud", "1.0", paths["transactionId"], manifest)
    assert response.status == 409
    assert "never.bin" in response.json()["errors"][0]["message"]
    assert read(http, emulator, "fraud", "1.0").status == 404
    assert not any(p.startswith("models/fraud/1.0/") for p in emulator.paths("ml-local"))


def test_a_manifest_with_a_wrong_size_or_sha2_is_409(
    emulator: Emulator, http: urllib3.PoolManager
) -> None:
    paths = _upload_model(http, emulator, "fraud", "1.0")
    manifest = _model_manifest()
    manifest["model_artifacts"] = [artifact("weights/model.pt", WEIGHTS + b"!")]
    assert commit(http, emulator, "fraud", "1.0", paths["transactionId"], manifest).status == 409
    # Nothing was consumed: the right manifest still commits.
    assert (
        commit(http, emulator, "fraud", "1.0", paths["transactionId"], _model_manifest()).status
        == 201
    )


def test_a_malformed_manifest_is_400(emulator: Emulator, http: urllib3.PoolManager) -> None:
    paths = _upload_model(http, emulator, "fraud", "1.0")
    response = commit(http, emulator, "fraud", "1.0", paths["transactionId"], b"{not json")
    assert response.status == 400
    assert response.json()["errors"][0]["status"] == 400


def test_reading_an_absent_version_is_404(emulator: Emulator, http: urllib3.PoolManager) -> None:
    response = read(http, emulator, "nobody", "1.0")
    assert response.status == 404
    assert response.json()["errors"][0]["status"] == 404


def test_a_dataset_transaction(emulator: Emulator, http: urllib3.PoolManager) -> None:
    paths = start(http, emulator, "team/images", "1", type_="dataset").json()
    assert paths["filesUploadPath"].endswith("/dataset")
    upload(http, emulator, paths["filesUploadPath"], "train/a.csv", b"a,b\n")
    manifest = {
        "created_date": "2026-01-01T00:00:00.00",
        "dataset_artifacts": [artifact("train/a.csv", b"a,b\n")],
    }
    assert (
        commit(
            http, emulator, "team/images", "1", paths["transactionId"], manifest, type_="dataset"
        ).status
        == 201
    )
    got = read(http, emulator, "team/images", "1", type_="dataset").json()
    url = f"{emulator.url}/ml-local/datasets/team/images/1/dataset/train/a.csv"
    assert got["dataset_artifacts"][0]["download_url"] == url
    assert "code_artifacts" not in got
