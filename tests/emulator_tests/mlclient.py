"""A tiny client of the ML transaction, enough to drive the emulator in tests."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

import urllib3

from emulator import Emulator

from .conftest import TOKEN

BOUNDARY = "----frogml-test-boundary"


def artifact(path: str, data: bytes) -> dict[str, object]:
    return {
        "artifact_path": path,
        "size": len(data),
        "checksums": {"sha2": hashlib.sha256(data).hexdigest()},
    }


def multipart(parts: dict[str, bytes]) -> bytes:
    out = b""
    for name, data in parts.items():
        out += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        out += data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def start(
    http: urllib3.PoolManager,
    emu: Emulator,
    entity: str,
    version: str | None = None,
    type_: str = "model",
) -> urllib3.BaseHTTPResponse:
    tail = f"/{version}" if version else ""
    url = f"{emu.url}/api/machinelearning/ml-local/{type_}/{entity}/start-transaction{tail}"
    return http.request("POST", url, headers=TOKEN)


def upload(http: urllib3.PoolManager, emu: Emulator, folder: str, name: str, data: bytes) -> None:
    response = http.request("PUT", f"{emu.url}/ml-local/{folder}/{name}", body=data, headers=TOKEN)
    assert response.status == 201, response.data


def commit(
    http: urllib3.PoolManager,
    emu: Emulator,
    entity: str,
    version: str,
    txid: str,
    manifest: Mapping[str, object] | bytes,
    additional: object = None,
    type_: str = "model",
) -> urllib3.BaseHTTPResponse:
    body = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    part = "modelManifest" if type_ == "model" else "datasetManifest"
    url = (
        f"{emu.url}/api/machinelearning/ml-local/{type_}/entity-manifest/{entity}/{version}/{txid}"
    )
    payload = multipart({part: body, "additionalData": json.dumps(additional).encode()})
    headers = {**TOKEN, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    return http.request("PUT", url, body=payload, headers=headers)


def read(
    http: urllib3.PoolManager, emu: Emulator, entity: str, version: str, type_: str = "model"
) -> urllib3.BaseHTTPResponse:
    url = f"{emu.url}/api/machinelearning/ml-local/{type_}/entity-manifest/{entity}/{version}"
    return http.request("GET", url, headers=TOKEN)
