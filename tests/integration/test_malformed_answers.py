"""Malformed values in otherwise good answers, end to end: a ``Retry-After`` or
``Content-Length`` of ``²`` (``str.isdigit`` takes it, ``int`` does not), a
transactionId or lastModified past the year 9999, a ``Date`` without a zone. Each is
read, ignored or refused with a domain error (one line in the CLI), never a traceback.

Most of them need bytes no well-behaved HTTP server library writes (one Latin-1
header, no second Content-Length or Date), so a raw server answers here.
"""

from __future__ import annotations

import hashlib
import socketserver
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner, Result

from emulator.server import serving
from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RetryPolicy
from frogml.domain.errors import TransientError
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.download import Download, DownloadModelRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from frogml.root.cli import build
from tests.integration.helpers import FakeSleep, Target, filesystem, fraud_manifest, write_tree

Answer = Callable[[str, str], bytes]  # (method, target) -> the raw bytes sent back
ML = "/artifactory/api/machinelearning/ml-local"
DATA = b"model bytes"
NOT_FOUND = b'{"errors":[{"status":404,"message":"File not found."}]}'


def _raw(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    fields = {
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        "Connection": "close",
        **(headers or {}),
    }
    head = "".join(f"{k}: {v}\r\n" for k, v in fields.items())
    return f"HTTP/1.1 {status} X\r\n{head}\r\n".encode("latin-1") + body


@contextmanager
def _raw_server(answer: Answer) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 sending ``answer``'s bytes as they are, one request
    per connection; yields its Artifactory URL."""

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            request = self.rfile.readline().decode("latin-1")
            if not request.strip():
                # A client closing a kept-alive connection (an earlier test's pool, when
                # it is collected): no request. Its traceback would land in the stderr
                # that CliRunner captures for whichever test runs then.
                return
            method, target, _ = request.split(" ", 2)
            length = 0
            while (line := self.rfile.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            self.rfile.read(length)
            self.wfile.write(answer(method, target))

    with serving(Handler) as origin:
        yield f"{origin}/artifactory"


def _cli(url: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.setenv("JF_URL", url)
    monkeypatch.setenv("JF_ACCESS_TOKEN", "tok")
    return CliRunner().invoke(build(), list(args), catch_exceptions=False)


def _one_error_line(result: Result) -> str:
    assert result.exit_code != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    (line,) = lines
    assert line.startswith("Error: ")
    return line


# -- Retry-After "²" ------------------------------------------------------------------------
def test_a_busy_server_with_an_unreadable_retry_after_is_retried_with_backoff(
    emulator_target: Target, tmp_path: Path
) -> None:
    emulator_target.emu.faults.fail("PUT", r"/small\.txt$", status=503, retry_after="\xb2")
    source = write_tree(tmp_path / "src", {"small.txt": b"hello"})
    Upload(store=emulator_target.store(), filesystem=filesystem())(
        UploadDatasetRequest(repository="ml-local", name="d", version="1", source_path=str(source))
    )
    (delay,) = emulator_target.delays  # the backoff's, not a Retry-After's
    assert delay <= emulator_target.settings.retry.backoff_base


@pytest.mark.parametrize("status", [200, 404])
def test_an_unreadable_retry_after_on_any_answer_is_ignored(
    monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    files = [{"uri": "/1", "folder": True, "lastModified": "2026-11-27T09:15:02.120Z"}]
    body = msgspec.json.encode({"files": files}) if status == 200 else NOT_FOUND
    with _raw_server(lambda m, t: _raw(status, body, {"Retry-After": "\xb2"})) as url:
        result = _cli(url, monkeypatch, "model", "versions", "ml-local", "fraud")
    if status == 200:
        assert result.exit_code == 0, result.stderr
        assert "2026-11-27T09:15:02.120000+00:00" in result.stdout
    else:
        assert "(HTTP 404)" in _one_error_line(result)


# -- Content-Length "²" on a file -----------------------------------------------------------
def test_a_file_answered_with_an_unreadable_content_length_is_refused(tmp_path: Path) -> None:
    sha = hashlib.sha256(DATA).hexdigest()
    manifest = fraud_manifest(
        [{"artifact_path": "a.bin", "size": len(DATA), "checksums": {"sha2": sha}}]
    )

    def answer(method: str, target: str) -> bytes:
        if target == f"{ML}/model/entity-manifest/fraud/1.0":
            return _raw(200, manifest)
        if target.endswith("/a.bin"):
            return _raw(200, DATA, {"Content-Length": "\xb2"})
        return _raw(404, NOT_FOUND)

    out = tmp_path / "out"
    with _raw_server(answer) as url:
        credentials = Credentials(url=url, access_token="tok")
        settings = ArtifactorySettings(credentials=credentials, retry=RetryPolicy(max_attempts=2))
        store = ArtifactoryStore(settings, sleep=FakeSleep())
        with pytest.raises(TransientError, match="unreadable Content-Length '²'"):
            Download(store=store, filesystem=filesystem())(
                DownloadModelRequest(
                    repository="ml-local", name="fraud", version="1.0", target_path=str(out)
                )
            )
    assert not (out / "a.bin").exists()


# -- dates and ids past the year 9999, a Date without a zone --------------------------------
def test_a_transaction_id_past_the_year_9999_is_one_error_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = f"models/fraud/tmp/1/{'9' * 15}"
    start = {
        "filesUploadPath": f"{folder}/model",
        "leadUploadPath": folder,
        "dependenciesUploadPath": f"{folder}/dependencies",
        "codeUploadPath": f"{folder}/code",
        "transactionId": "9" * 15,
    }

    def answer(method: str, target: str) -> bytes:
        if "/start-transaction" in target:
            return _raw(201, msgspec.json.encode(start))
        return _raw(404, NOT_FOUND)

    source = write_tree(tmp_path / "src", {"m.pkl": b"x"})
    with _raw_server(answer) as url:
        result = _cli(
            url, monkeypatch, "model", "upload", "ml-local", "fraud", str(source),
            "--framework", "sklearn", "--framework-version", "1.5", "--format", "pkl",
            "-v", "1",
        )  # fmt: skip
    assert "transactionId '999999999999999' is out of range" in _one_error_line(result)


def test_a_last_modified_past_the_year_9999_in_utc_is_one_error_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = [{"uri": "/1", "folder": True, "lastModified": "9999-12-31T23:59:59.000-01:00"}]

    def answer(method: str, target: str) -> bytes:
        if "?list" in target:
            return _raw(200, msgspec.json.encode({"files": files}))
        return _raw(404, NOT_FOUND)

    with _raw_server(answer) as url:
        result = _cli(url, monkeypatch, "model", "versions", "ml-local", "fraud")
    assert "bad lastModified '9999-12-31T23:59:59.000-01:00'" in _one_error_line(result)


@pytest.mark.parametrize("zone", [" -0000", ""])
def test_doctor_takes_a_date_without_a_zone_as_utc(
    monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    date = datetime.now(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S") + zone

    def answer(method: str, target: str) -> bytes:
        if target.endswith("/api/system/ping"):
            return _raw(200, b"OK", {"Content-Type": "text/plain", "Date": date})
        if target.endswith("/api/system/version"):
            return _raw(200, b'{"version": "7.104.0"}')
        return _raw(404, NOT_FOUND)

    with _raw_server(answer) as url:
        result = _cli(url, monkeypatch, "doctor", "--json")
    checks = {c["name"]: c for c in msgspec.json.decode(result.stdout)["checks"]}
    assert checks["clock"]["verdict"] == "ok", checks["clock"]
