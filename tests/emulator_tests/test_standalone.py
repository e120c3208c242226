"""`python -m emulator` as benchmarks start it: URL first, then serve until signalled."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import urllib3

from tests.integration.tls import Pki

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def standalone() -> Iterator[tuple[subprocess.Popen[str], str]]:
    command = [
        sys.executable,
        "-m",
        "emulator",
        "--port",
        "0",
        "--token",
        "tok",
        "--repo",
        "models-a",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        yield process, process.stdout.readline().strip()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def test_the_first_line_is_the_url_and_the_server_answers(
    standalone: tuple[subprocess.Popen[str], str],
) -> None:
    process, url = standalone
    assert url.startswith("http://127.0.0.1:")
    assert url.endswith("/artifactory")
    http = urllib3.PoolManager(retries=False)
    assert http.request("GET", f"{url}/api/system/ping").data == b"OK"
    created = http.request(
        "PUT", f"{url}/models-a/x.bin", body=b"x", headers={"Authorization": "Bearer tok"}
    )
    assert created.status == 201
    assert http.request("PUT", f"{url}/models-a/y.bin", body=b"y").status == 401
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0


def test_without_credentials_it_is_anonymous_read_write() -> None:
    command = [sys.executable, "-m", "emulator", "--port", "0"]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        http = urllib3.PoolManager(retries=False)
        assert http.request("PUT", f"{url}/ml-local/x.bin", body=b"x").status == 201
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        assert process.returncode == 0
        assert "anonymous" in err
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)


def test_with_a_certificate_and_its_key_it_serves_https(pki: Pki, tmp_path: Path) -> None:
    leaf = pki.ca.issue_cert("127.0.0.1", "localhost")
    cert, key = tmp_path / "server.pem", tmp_path / "server.key"
    cert.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    leaf.private_key_pem.write_to_path(str(key))
    command = [
        sys.executable, "-m", "emulator", "--port", "0", "--anonymous",
        "--tls-cert", str(cert), "--tls-key", str(key),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("https://127.0.0.1:")
        http = urllib3.PoolManager(retries=False, ca_certs=str(pki.ca_bundle))
        assert http.request("GET", f"{url}/api/system/ping").data == b"OK"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def test_a_certificate_without_its_key_is_a_usage_error() -> None:
    command = [sys.executable, "-m", "emulator", "--tls-cert", "server.pem"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "--tls-cert and --tls-key go together" in done.stderr
