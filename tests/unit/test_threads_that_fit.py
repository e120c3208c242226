"""Threads that adapt grow within the open-file limit instead of running out of
descriptors; only when not even the first threads fit is the transfer refused."""

from __future__ import annotations

import pytest

from frogml.adapters import open_files
from frogml.adapters.open_files import RESERVE, threads_that_fit
from frogml.domain.errors import ConfigurationError


@pytest.fixture
def limited(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process holding 10 descriptors, limited to 64."""
    monkeypatch.setattr(open_files, "limit", lambda: 64)
    monkeypatch.setattr(open_files, "open_count", lambda: 10)


@pytest.mark.usefixtures("limited")
def test_adapting_threads_are_capped_at_what_the_limit_leaves_room_for() -> None:
    room = (64 - 10 - RESERVE) // 3
    assert threads_that_fit(first=8, most=32, per_thread=3, doing="downloading") == room
    assert room < 32


@pytest.mark.usefixtures("limited")
def test_threads_within_the_limit_are_left_as_asked() -> None:
    assert threads_that_fit(first=2, most=4, per_thread=2, doing="uploading") == 4
    assert threads_that_fit(first=8, most=8, per_thread=3, doing="downloading") == 8


@pytest.mark.usefixtures("limited")
def test_first_threads_beyond_the_limit_are_refused_naming_it() -> None:
    with pytest.raises(ConfigurationError, match=r"open-file limit of this process is 64"):
        threads_that_fit(first=32, most=32, per_thread=2, doing="uploading")


def test_without_a_limit_the_most_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(open_files, "limit", lambda: None)
    assert threads_that_fit(first=8, most=32, per_thread=3, doing="downloading") == 32
