"""Name, property and artifact-path rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frogml.domain.errors import ValidationError
from frogml.domain.model.entity import EntityKind, EntityRef
from frogml.domain.model.names import (
    check_artifact_path,
    check_name,
    check_properties,
    is_valid_name,
)

_SEGMENT = st.text(alphabet=st.sampled_from("abcXYZ019_-"), min_size=1, max_size=10)
valid_names = (
    st.lists(_SEGMENT, min_size=1, max_size=4).map(".".join).filter(lambda n: len(n) <= 60)
)


@given(valid_names)
def test_valid_names_are_accepted(name: str) -> None:
    assert is_valid_name(name)
    assert check_name(name, field="name") == name


@given(st.text(max_size=70))
def test_a_name_is_valid_exactly_when_it_matches_the_protocol_rule(name: str) -> None:
    import re

    expected = len(name) <= 60 and re.fullmatch(r"[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*", name)
    assert is_valid_name(name) == bool(expected)


@pytest.mark.parametrize(
    "name", ["", "a b", "a..b", ".a", "a.", "a/b", "é", "x" * 61, "a\nb", "a:b"]
)
def test_invalid_names_are_rejected_with_a_message_naming_the_field(name: str) -> None:
    with pytest.raises(ValidationError, match="invalid model name"):
        EntityRef(repository="ml-local", kind=EntityKind.MODEL, name=name)


def test_sixty_characters_is_the_longest_name() -> None:
    assert is_valid_name("x" * 60)
    assert not is_valid_name("x" * 61)


@pytest.mark.parametrize(
    "value",
    [
        "risk/fraud.v2",
        "two words",
        "https://example.com/x?a=1&b=2",
        "alice@acme.com",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "",
        "a,b;c=d\\e",
        "ünïcødé 模型",
        "x" * 1000,
    ],
)
def test_property_values_are_any_text(value: str) -> None:
    assert check_properties({"note": value}) == {"note": value}


def test_property_keys_follow_the_name_rule_and_values_must_be_text() -> None:
    with pytest.raises(ValidationError, match="invalid property key"):
        check_properties({"bad key": "x"})
    with pytest.raises(ValidationError, match="must be text, got int"):
        check_properties({"n": 3})


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/etc/passwd",
        "../x",
        "a/../../x",
        "a//b",
        "./a",
        "a/.",
        "C:/x",
        "c:x",
        "a\\..\\b",
        " ../x",
        "a/ .. /b",
        "a/\u00a0..\u00a0/b",
        "a/\x00/b",
        "a/.\u200b./b",
        "a/\t../b",
    ],
)
def test_unsafe_artifact_paths_are_refused(path: str) -> None:
    with pytest.raises(ValidationError):
        check_artifact_path(path)


@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=5))
def test_no_accepted_path_escapes_its_folder(segments: list[str]) -> None:
    import posixpath

    path = "/".join(segments)
    try:
        check_artifact_path(path)
    except ValidationError:
        return
    joined = posixpath.normpath(posixpath.join("/target", path))
    assert joined.startswith("/target/")
    assert all(part.strip() not in ("", ".", "..") for part in path.split("/"))
