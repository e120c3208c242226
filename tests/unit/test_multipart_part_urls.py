"""The part URLs of a multipart upload, asked for ahead of their part (``_PartUrls``).

No server: ``fetch`` (the part's own request, with retries) and ``ahead_fetch`` (the
request made ahead, one attempt) are recorded; the background thread is waited for
with events, never with sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from frogml.adapters.artifactory._multipart import _PartUrls
from frogml.adapters.artifactory._transfer import Cancelled
from frogml.domain.errors import TransientError

_WAIT = 30.0  # seconds: only a broken test waits this long


class _Server:
    """Records who asked for which part's URL; gives ``url-<n>-<k>`` (k-th URL of n)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.direct: list[int] = []
        self.ahead: list[int] = []
        self.asked = {n: threading.Event() for n in range(1, 100)}
        self.answered = {n: threading.Event() for n in range(1, 100)}
        self.hold = threading.Event()  # ahead requests wait for it (set: they don't)
        self.hold.set()
        self.failing: set[int] = set()

    def _url(self, number: int) -> str:
        count = self.direct.count(number) + self.ahead.count(number)
        return f"url-{number}-{count}"

    def fetch(self, number: int) -> str:
        with self.lock:
            url = self._url(number)
            self.direct.append(number)
            return url

    def ahead_fetch(self, number: int) -> str:
        with self.lock:
            url = self._url(number)
            self.ahead.append(number)
        self.asked[number].set()
        try:
            assert self.hold.wait(_WAIT)
            if number in self.failing:
                raise TransientError(f"part {number}: HTTP 503")
            return url
        finally:
            self.answered[number].set()


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def server() -> _Server:
    return _Server()


@pytest.fixture
def clock() -> _Clock:
    return _Clock()


@pytest.fixture
def urls(server: _Server, clock: _Clock) -> Iterator[_PartUrls]:
    made = _PartUrls(server.fetch, server.ahead_fetch, count=6, ahead=2, clock=clock, fresh=60.0)
    yield made
    made.close()


def _never() -> bool:
    return False


def _settled(urls: _PartUrls, server: _Server, number: int) -> None:
    """Wait until the URL of ``number`` asked for ahead is answered and stored."""
    assert server.answered[number].wait(_WAIT)
    with urls._cond:  # the thread stores it under the condition, right after
        while urls._fetching == number:
            urls._cond.wait(0.1)


def test_the_first_round_asks_itself_and_the_next_round_is_asked_for_ahead(
    urls: _PartUrls, server: _Server
) -> None:
    assert urls.take(1, _never) == "url-1-0"
    assert urls.take(2, _never) == "url-2-0"
    assert server.direct == [1, 2]
    _settled(urls, server, 3)
    _settled(urls, server, 4)
    assert server.ahead == [3, 4]  # part n asks for part n + ahead
    assert urls.take(3, _never) == "url-3-0"
    assert urls.take(4, _never) == "url-4-0"
    assert server.direct == [1, 2]  # no part of the second round asked itself
    _settled(urls, server, 5)
    _settled(urls, server, 6)
    assert urls.take(5, _never) == "url-5-0"
    assert urls.take(6, _never) == "url-6-0"
    assert server.ahead == [3, 4, 5, 6]  # nothing beyond the last part
    assert server.direct == [1, 2]  # one request per part in all


def test_a_part_whose_url_is_being_asked_for_waits_for_it(urls: _PartUrls, server: _Server) -> None:
    server.hold.clear()
    urls.take(1, _never)
    assert server.asked[3].wait(_WAIT)  # in flight, held
    got: list[str] = []
    taker = threading.Thread(target=lambda: got.append(urls.take(3, _never)))
    taker.start()
    server.hold.set()
    taker.join(_WAIT)
    assert got == ["url-3-0"]
    assert server.direct == [1]  # part 3 did not ask a second time


def test_a_waiting_part_stops_when_the_upload_stops(urls: _PartUrls, server: _Server) -> None:
    server.hold.clear()
    urls.take(1, _never)
    assert server.asked[3].wait(_WAIT)
    with pytest.raises(Cancelled):
        urls.take(3, lambda: True)
    server.hold.set()


def test_a_stale_url_is_asked_for_again(urls: _PartUrls, server: _Server, clock: _Clock) -> None:
    urls.take(1, _never)
    _settled(urls, server, 3)
    clock.now += 61.0  # older than `fresh`: it may have expired on the way
    assert urls.take(3, _never) == "url-3-1"
    assert server.direct == [1, 3]


def test_a_url_asked_for_ahead_that_failed_is_asked_for_by_the_part(
    urls: _PartUrls, server: _Server
) -> None:
    server.failing.add(3)
    urls.take(1, _never)
    _settled(urls, server, 3)
    assert urls.take(3, _never) == "url-3-1"  # its own request (with retries) reports
    assert server.direct == [1, 3]


def test_a_part_taken_before_its_url_is_asked_for_asks_itself_once(
    server: _Server, clock: _Clock
) -> None:
    server.hold.clear()  # the thread is stuck on part 3: part 4 stays queued
    urls = _PartUrls(server.fetch, server.ahead_fetch, count=6, ahead=2, clock=clock)
    try:
        urls.take(1, _never)
        urls.take(2, _never)
        assert server.asked[3].wait(_WAIT)
        assert urls.take(4, _never) == "url-4-0"  # taken off the queue, asked here
        server.hold.set()
        _settled(urls, server, 3)
        assert 4 not in server.ahead  # part 4 was not asked for a second time
    finally:
        urls.close()


def test_after_close_nothing_is_asked_for_ahead(server: _Server, clock: _Clock) -> None:
    urls = _PartUrls(server.fetch, server.ahead_fetch, count=6, ahead=2, clock=clock)
    urls.close()
    assert urls.take(1, _never) == "url-1-0"
    assert urls.take(3, _never) == "url-3-0"
    assert server.ahead == []
    assert server.direct == [1, 3]
