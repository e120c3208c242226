"""Running out of file descriptors is told in plain words, naming the limit."""

from __future__ import annotations

import errno

import pytest

from frogml.adapters.open_files import check_open_files, limit, limit_hint
from frogml.domain.errors import ConfigurationError


def test_a_failed_open_for_lack_of_descriptors_names_the_limit() -> None:
    hint = limit_hint(OSError(errno.EMFILE, "Too many open files"))
    assert hint is not None
    assert "open-file limit" in hint
    assert "ulimit -n" in hint
    if limit() is not None:
        assert f"({limit()})" in hint


def test_other_failures_get_no_limit_hint() -> None:
    assert limit_hint(OSError(errno.ENOENT, "No such file or directory")) is None
    assert limit_hint(OSError(errno.ENOSPC, "No space left on device")) is None


def test_threads_that_fit_the_limit_pass_and_those_that_do_not_are_refused() -> None:
    soft = limit()
    if soft is None:
        pytest.skip("no open-file limit here")
    check_open_files(threads=1, per_thread=1, doing="uploading")
    with pytest.raises(ConfigurationError, match=rf"open-file limit of this process is {soft}"):
        check_open_files(threads=soft, per_thread=2, doing="downloading")
