"""The emulator's ``GET /api/repositories`` filters and its deletion of a version's folder
(what ``frogml repos`` and ``frogml model delete`` use; protocol page sections 3 and 5)."""

from __future__ import annotations

import json

import pytest
import urllib3

from emulator import Emulator

from . import mlclient
from .conftest import TOKEN


def _publish(http: urllib3.PoolManager, emu: Emulator, version: str) -> None:
    started = json.loads(mlclient.start(http, emu, "fraud", version).data)
    mlclient.upload(http, emu, started["filesUploadPath"], "w.bin", b"weights")
    manifest: dict[str, object] = {
        "created_date": "2026-11-27T09:15:02.12",
        "model_artifacts": [mlclient.artifact("w.bin", b"weights")],
        "model_format": {
            "framework": "f",
            "framework_version": "1",
            "serialization_format": "s",
            "runtime": "python",
            "runtime_version": "3.11",
        },
    }
    answer = mlclient.commit(http, emu, "fraud", version, started["transactionId"], manifest)
    assert answer.status == 201, answer.data


@pytest.mark.parametrize("manifest_file", [True, False])
def test_deleting_a_version_folder_unpublishes_it_and_frees_its_name(
    http: urllib3.PoolManager, manifest_file: bool
) -> None:
    with Emulator(tokens={"test-token"}, repos=("ml-local",), manifest_file=manifest_file) as emu:
        _publish(http, emu, "1.0")
        gone = http.request("DELETE", f"{emu.url}/ml-local/models/fraud/1.0", headers=TOKEN)
        assert gone.status == 204
        assert mlclient.read(http, emu, "fraud", "1.0").status == 404
        _publish(http, emu, "1.0")  # the name is free again
        assert mlclient.read(http, emu, "fraud", "1.0").status == 200


def test_the_repositories_listing_filters_by_package_type_and_class(
    http: urllib3.PoolManager, emulator: Emulator
) -> None:
    generic = json.dumps({"rclass": "local", "packageType": "generic"}).encode()
    created = http.request(
        "PUT", f"{emulator.url}/api/repositories/files", body=generic, headers=TOKEN
    )
    assert created.status == 200

    def keys(query: str) -> list[str]:
        answer = http.request("GET", f"{emulator.url}/api/repositories{query}", headers=TOKEN)
        assert answer.status == 200
        return [repo["key"] for repo in json.loads(answer.data)]

    assert keys("") == ["files", "ml-local"]
    assert keys("?packageType=machinelearning") == ["ml-local"]
    assert keys("?packageType=MachineLearning&type=local") == ["ml-local"]
    assert keys("?type=remote") == []
