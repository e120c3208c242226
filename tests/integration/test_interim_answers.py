"""Interim answers (1xx) before the final one: a proxy or CDN in front of Artifactory may
send ``103 Early Hints`` (RFC 8297) or ``102 Processing`` first. http.client skips only
``100 Continue``: it took a 103 for the answer (with no body) and left the real answer
in the kept-alive connection, where the next request read it as its own.

A raw server answers here, several requests per connection, because no server library
sends interim answers on request.
"""

from __future__ import annotations

import contextlib
import hashlib
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from emulator.server import serving
from frogml.adapters.artifactory import ArtifactorySettings, ArtifactoryStore, RetryPolicy
from frogml.adapters.artifactory._interim import MAX_INTERIM
from frogml.domain.errors import ProtocolError
from frogml.domain.ports.credentials import Credentials
from frogml.domain.services.download import Download, DownloadModelRequest
from tests.integration.helpers import FakeSleep, filesystem, fraud_manifest

ML = "/artifactory/api/machinelearning/ml-local"
FILES = {"a.bin": b"first file's bytes", "b.bin": b"the second file, longer than the first"}
EARLY_HINTS = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
PROCESSING = b"HTTP/1.1 102 Processing\r\n\r\n"


def _manifest() -> bytes:
    return fraud_manifest(
        [
            {"artifact_path": name, "size": len(data), "checksums": {"sha2": _sha(data)}}
            for name, data in FILES.items()
        ]
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _final(body: bytes, content_type: str = "application/octet-stream") -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


class _Server:
    """Answers every request on a kept-alive connection, ``interim`` bytes first."""

    def __init__(self, interim: Callable[[int], bytes]) -> None:
        self.interim = interim
        self.requests: list[tuple[int, str]] = []  # (connection number, target)
        self.lock = threading.Lock()

    def answer(self, target: str) -> bytes:
        if target == f"{ML}/model/entity-manifest/fraud/1.0":
            return _final(_manifest(), "application/json")
        for name, data in FILES.items():
            if target.split("?")[0].endswith(f"/{name}"):
                return _final(data)
        body = b'{"errors":[{"status":404,"message":"File not found."}]}'
        return f"HTTP/1.1 404 X\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body


@contextmanager
def _serving(server_: _Server) -> Iterator[str]:
    connections = iter(range(1_000_000))

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            with contextlib.suppress(ConnectionError):  # a client refusing a flood resets
                self._answer_all()

        def _answer_all(self) -> None:
            number = next(connections)
            while request := self.rfile.readline().decode("latin-1"):
                if not request.strip():
                    return
                _, target, _ = request.split(" ", 2)
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                with server_.lock:
                    server_.requests.append((number, target))
                    count = len(server_.requests)
                self.wfile.write(server_.interim(count) + server_.answer(target))
                self.wfile.flush()

    with serving(Handler) as origin:
        yield f"{origin}/artifactory"


def _download(url: str, out: Path) -> None:
    credentials = Credentials(url=url, access_token="tok")
    settings = ArtifactorySettings(credentials=credentials, retry=RetryPolicy(max_attempts=2))
    store = ArtifactoryStore(settings, sleep=FakeSleep())
    Download(store=store, filesystem=filesystem())(
        DownloadModelRequest(
            repository="ml-local", name="fraud", version="1.0", target_path=str(out)
        )
    )


@pytest.mark.parametrize(
    "interim",
    [EARLY_HINTS, PROCESSING, PROCESSING + EARLY_HINTS + EARLY_HINTS],
    ids=["103", "102", "102-103-103"],
)
def test_interim_answers_are_skipped_and_each_request_reads_its_own_answer(
    tmp_path: Path, interim: bytes
) -> None:
    server = _Server(lambda count: interim)
    out = tmp_path / "out"
    with _serving(server) as url:
        _download(url, out)
    for name, data in FILES.items():
        assert (out / name).read_bytes() == data
    # every request was asked once: no answer was taken for another's, none retried
    targets = [target.split("?")[0] for _, target in server.requests]
    assert len(targets) == len(set(targets)), targets
    # and the connections were kept: interim answers do not cost a connection each
    assert len({number for number, _ in server.requests}) < len(server.requests)


def test_endless_interim_answers_are_a_protocol_error(tmp_path: Path) -> None:
    server = _Server(lambda count: EARLY_HINTS * 1000)
    out = tmp_path / "out"
    with _serving(server) as url, pytest.raises(ProtocolError) as raised:
        _download(url, out)
    assert str(raised.value) == (
        "reading model fraud@1.0 in repository ml-local: the server sent more than "
        f"{MAX_INTERIM} interim answers (HTTP 1xx) before its answer"
    )
    assert len(server.requests) == 1  # not retried: the same server would flood again
    assert not out.exists() or not any(out.iterdir())
