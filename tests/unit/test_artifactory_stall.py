"""An answer that has begun and moves fewer than N bytes in T seconds is a stall; one
that keeps flowing is not, however long it lasts. A fake clock replaces real waiting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import urllib3

from frogml.adapters.artifactory._stall import StalledError, StallGuard, read_body, read_chunks
from frogml.adapters.artifactory.settings import ArtifactorySettings, StallPolicy
from frogml.domain.errors import ConfigurationError, TransientError
from frogml.domain.model.settings import TransferSettings
from frogml.domain.ports.credentials import Credentials


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class TimedBody:
    """A response body whose chunks arrive ``seconds`` apart on ``clock``."""

    def __init__(self, chunks: Iterator[bytes], clock: FakeClock, seconds: float) -> None:
        self._chunks = chunks
        self._clock = clock
        self._seconds = seconds
        self.reads = 0

    def read1(self, amt: int = -1, decode_content: bool | None = None) -> bytes:
        self.reads += 1
        self._clock.now += self._seconds
        return next(self._chunks, b"")


def _response(body: TimedBody) -> urllib3.BaseHTTPResponse:
    return body  # type: ignore[return-value]  # read1 is all that is read


def test_a_trickle_of_one_byte_a_second_is_a_stall_after_t_seconds() -> None:
    clock = FakeClock()
    body = TimedBody(iter([b"x"] * 1000), clock, seconds=1.0)
    guard = StallGuard(StallPolicy(min_bytes=64, seconds=10), clock=clock, what="reading x")
    with pytest.raises(StalledError, match="stalled") as caught:
        list(read_chunks(_response(body), guard))
    assert body.reads == 10  # not the 1000 seconds the trickle would take
    assert isinstance(caught.value, TransientError)  # retried, then a clear error


def test_a_large_answer_that_keeps_flowing_is_no_stall() -> None:
    clock = FakeClock()
    chunks = iter([b"y" * 4096] * 5000)  # 20 MB over 5,000 s, but 4 KiB every second
    body = TimedBody(chunks, clock, seconds=1.0)
    guard = StallGuard(StallPolicy(min_bytes=64 * 1024, seconds=30), clock=clock, what="x")
    assert sum(len(c) for c in read_chunks(_response(body), guard)) == 5000 * 4096


def test_a_json_answer_is_read_with_the_same_rule() -> None:
    clock = FakeClock()
    body = TimedBody(iter([b"{", b'"', b"a"] * 100), clock, seconds=2.0)
    guard = StallGuard(StallPolicy(min_bytes=10, seconds=5), clock=clock, what="reading a")
    with pytest.raises(StalledError, match=r"reading a: .*fewer than 10 bytes in 5 s"):
        read_body(_response(body), guard, limit=1 << 20, restore=None)


def test_a_pause_shorter_than_the_window_is_no_stall() -> None:
    clock = FakeClock()
    body = TimedBody(iter([b"z" * 100, b"z" * 100, b""]), clock, seconds=9.0)
    guard = StallGuard(StallPolicy(min_bytes=100, seconds=10), clock=clock, what="x")
    assert read_body(_response(body), guard, limit=1 << 20, restore=None) == b"z" * 200


def test_the_stall_rule_is_a_setting_from_the_environment_or_the_caller() -> None:
    credentials = Credentials(url="https://acme.jfrog.io", access_token="t")
    default = ArtifactorySettings.from_environment(credentials, {})
    assert default.stall == StallPolicy(min_bytes=64 * 1024, seconds=30.0)
    env = {"JFML_STALL_BYTES": "1000", "JFML_STALL_SECONDS": "2.5", "JFML_TIMEOUT": "600"}
    chosen = ArtifactorySettings.from_environment(credentials, env)
    assert chosen.stall == StallPolicy(min_bytes=1000, seconds=2.5)
    assert chosen.read_timeout == 600  # waiting for an answer to begin: its own setting
    given = TransferSettings(stall_bytes=5, stall_seconds=1)
    assert ArtifactorySettings.from_environment(credentials, env, given).stall == StallPolicy(
        min_bytes=5, seconds=1
    )
    with pytest.raises(ConfigurationError, match="JFML_STALL_SECONDS"):
        ArtifactorySettings.from_environment(credentials, {"JFML_STALL_SECONDS": "0"})
    with pytest.raises(ConfigurationError, match="JFML_STALL_BYTES"):
        ArtifactorySettings.from_environment(credentials, {"JFML_STALL_BYTES": "-1"})
    with pytest.raises(ConfigurationError, match="stall_bytes"):
        TransferSettings(stall_bytes=0)
