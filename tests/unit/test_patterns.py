"""The include/exclude/.frogmlignore matcher keeps gitignore's semantics."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frogml.domain.errors import ValidationError
from frogml.domain.model.patterns import PathRules, PatternList


@pytest.mark.parametrize(
    ("lines", "path", "covered"),
    [
        (["*.log"], "a/b/x.log", True),
        (["*.log"], "x.log.gz", False),
        (["/*.log"], "x.log", True),
        (["/*.log"], "a/x.log", False),
        (["build/"], "build/out.bin", True),
        (["build/"], "a/build/out.bin", True),
        (["build/"], "build", False),  # a file named build: trailing / is folders only
        (["a/*.txt"], "a/b.txt", True),
        (["a/*.txt"], "a/x/b.txt", False),
        (["a/**/b"], "a/b", True),
        (["a/**/b"], "a/x/y/b", True),
        (["**/foo"], "foo", True),
        (["**/foo"], "x/y/foo", True),
        (["abc/**"], "abc/x/y", True),
        (["abc/**"], "abc", False),
        (["file?.txt"], "file1.txt", True),
        (["file?.txt"], "file10.txt", False),
        (["file[0-9].txt"], "file3.txt", True),
        (["file[!0-9].txt"], "file3.txt", False),
        (["file[!0-9].txt"], "fileA.txt", True),
        (["*.csv", "!keep.csv"], "keep.csv", False),
        (["*.csv", "!keep.csv"], "other.csv", True),
        (["data/", "!data/keep.csv"], "data/keep.csv", True),  # git cannot re-include here
        (["# comment", ""], "# comment", False),
        (["\\#hash"], "#hash", True),
        (["\\!bang"], "!bang", True),
        (["*"], "any/thing", True),
    ],
)
def test_gitignore_semantics(lines: list[str], path: str, covered: bool) -> None:
    assert PatternList.parse(lines).covers(path) is covered


def test_an_exclude_after_the_ignore_file_can_re_include() -> None:
    rules = PathRules(exclude=("!keep.log",)).with_ignore_file(["*.log"])
    assert rules.reason_to_skip("drop.log") == "excluded"
    assert rules.takes("keep.log")


def test_include_keeps_only_matching_files_and_whole_folders() -> None:
    rules = PathRules(include=("*.bin", "configs"))
    assert rules.takes("weights/model.bin")
    assert rules.takes("configs/a/b.yaml")
    assert rules.reason_to_skip("README.md") == "not included"


def test_excluded_folders_are_pruned_with_everything_below() -> None:
    rules = PathRules(exclude=("cache/",))
    assert rules.prunes("cache")
    assert rules.prunes("a/cache/deeper")
    assert not rules.prunes("weights")


def test_a_malformed_pattern_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        PathRules(include=("[z-a]",))


_segment = st.text(alphabet="abcXYZ019_-.", min_size=1, max_size=6).filter(
    lambda s: s not in (".", "..")
)


@given(st.lists(_segment, min_size=1, max_size=4))
def test_a_literal_anchored_path_covers_itself_and_nothing_else(parts: list[str]) -> None:
    path = "/".join(parts)
    rules = PatternList.parse(["/" + path])
    assert rules.covers(path)
    assert not rules.covers(path + "x")
