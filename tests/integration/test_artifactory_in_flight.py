"""Requests in flight: connections are reused and capped, and a big download is split
into as many byte ranges as its measured throughput calls for, within the cap."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import threading
from pathlib import Path
from types import TracebackType

import pytest

from frogml.adapters.artifactory import ArtifactoryStore, RangePolicy
from frogml.adapters.artifactory.settings import ArtifactorySettings
from frogml.domain.services.download import Download, DownloadDatasetRequest
from frogml.domain.services.upload import Upload, UploadDatasetRequest
from tests.integration.helpers import Target, files_under, filesystem, write_tree

MIB = 1 << 20


class CountingProxy:
    """A TCP relay on 127.0.0.1 counting the connections it accepts and the most open
    at once."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self._upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.accepted = 0
        self.most_open = 0
        self._open = 0
        self._lock = threading.Lock()

    def __enter__(self) -> CountingProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self._upstream)
            with self._lock:
                self.accepted += 1
                self._open += 1
                self.most_open = max(self.most_open, self._open)
            closed = threading.Barrier(2, action=self._closed)
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b, closed), daemon=True).start()

    def _closed(self) -> None:
        with self._lock:
            self._open -= 1

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket, closed: threading.Barrier) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            closed.wait()
            source.close()


def _settings(target: Target, url: str | None = None, **changes: object) -> ArtifactorySettings:
    settings = target.settings
    if url is not None:
        credentials = dataclasses.replace(settings.credentials, url=url)
        settings = dataclasses.replace(settings, credentials=credentials)
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]


def _through_proxy(target: Target, proxy: CountingProxy) -> str:
    base = target.settings.credentials.url
    scheme, rest = base.split("://", 1)
    path = rest.split("/", 1)[1] if "/" in rest else ""
    return f"{scheme}://127.0.0.1:{proxy.port}/{path}"


def _upstream(target: Target) -> tuple[str, int]:
    hostport = target.settings.credentials.url.split("://", 1)[1].split("/", 1)[0]
    host, _, port = hostport.rpartition(":")
    return host, int(port)


def _round_trip(settings: ArtifactorySettings, target: Target, source: Path, out: Path) -> None:
    store = ArtifactoryStore(settings, sleep=target.sleep)
    Upload(store=store, filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="many", version="1", source_path=str(source)
        )
    )
    Download(store=store, filesystem=filesystem())(
        DownloadDatasetRequest(
            repository="ml-local", name="many", version="1", target_path=str(out)
        )
    )


def test_many_files_reuse_a_few_connections_and_never_exceed_the_cap(
    emulator_target: Target, tmp_path: Path
) -> None:
    if not emulator_target.settings.credentials.url.startswith("http:"):
        pytest.skip("the relay counts plain HTTP connections")
    files = {f"f{n:03d}.bin": os.urandom(100 + n) for n in range(120)}
    source = write_tree(tmp_path / "src", files)
    with CountingProxy(_upstream(emulator_target)) as proxy:
        url = _through_proxy(emulator_target, proxy)
        settings = _settings(emulator_target, url, thread_count=2, max_in_flight=4)
        _round_trip(settings, emulator_target, source, tmp_path / "out")
    assert files_under(tmp_path / "out") == files
    # 240 file requests (and a few more) went over at most 4 connections, kept open.
    assert 1 <= proxy.accepted <= 4
    assert proxy.most_open <= 4


def test_ranged_streams_never_exceed_the_requests_in_flight(
    emulator_target: Target, tmp_path: Path
) -> None:
    big = os.urandom(2 * MIB + 17)
    source = write_tree(tmp_path / "src", {"big.bin": big})
    ranges = RangePolicy(threshold=64 * 1024, parts=8)
    settings = _settings(emulator_target, ranges=ranges, max_in_flight=3, thread_count=1)
    emu = emulator_target.emu
    store = ArtifactoryStore(settings, sleep=emulator_target.sleep)
    Upload(store=store, filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="big", version="1", source_path=str(source)
        )
    )
    emu.counters.reset()
    out = tmp_path / "out"
    Download(store=store, filesystem=filesystem())(
        DownloadDatasetRequest(repository="ml-local", name="big", version="1", target_path=str(out))
    )
    assert files_under(out) == {"big.bin": big}
    assert emu.counters.snapshot().count("download", 206) == 3  # 8 asked, 3 allowed


@pytest.mark.parametrize("split", [True, False])
def test_a_big_download_splits_as_its_measured_throughput_says(
    emulator_target: Target, tmp_path: Path, split: bool
) -> None:
    big = os.urandom(16 * MIB + 5)
    source = write_tree(tmp_path / "src", {"big.bin": big})
    # One stream starts; after its first block (latency) and 1 MiB more, it is
    # measured: far below an unreachable target rate (it is split: the rest of the file
    # goes in blocks of 2 MiB to 4 streams), or above 1 byte/s (it stays alone).
    ranges = RangePolicy(
        threshold=MIB,
        max_parts=4,
        probe=MIB,
        min_part=2 * MIB,
        target_rate=1e15 if split else 1.0,
    )
    settings = _settings(emulator_target, ranges=ranges)
    emu = emulator_target.emu
    store = ArtifactoryStore(settings, sleep=emulator_target.sleep)
    Upload(store=store, filesystem=filesystem())(
        UploadDatasetRequest(
            repository="ml-local", name="big", version="1", source_path=str(source)
        )
    )
    emu.counters.reset()
    out = tmp_path / "out"
    Download(store=store, filesystem=filesystem())(
        DownloadDatasetRequest(repository="ml-local", name="big", version="1", target_path=str(out))
    )
    assert files_under(out) == {"big.bin": big}
    ranged = emu.counters.snapshot().count("download", 206)
    if split:
        assert 5 <= ranged <= 8  # the first stream, then 14 MiB or less in 2 MiB blocks
    else:
        assert ranged == 1
