"""The emulator's own parsers: multipart bodies, byte ranges, property specs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.errors import ApiError
from emulator.http_io import parse_range
from emulator.multipart import MultipartError, parse_multipart
from emulator.storage_api import parse_properties

from .mlclient import BOUNDARY, multipart

CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


@given(
    st.dictionaries(
        st.sampled_from(["modelManifest", "additionalData", "x"]), st.binary(max_size=300)
    )
)
def test_multipart_round_trips(parts: dict[str, bytes]) -> None:
    parsed = parse_multipart(multipart(parts), CONTENT_TYPE)
    assert {name: part.data for name, part in parsed.items()} == parts
    assert all(part.filename == name for name, part in parsed.items())


def test_multipart_with_a_quoted_boundary_and_content_type() -> None:
    body = multipart({"modelManifest": b"{}"})
    parsed = parse_multipart(body, f'multipart/form-data; boundary="{BOUNDARY}"')
    assert parsed["modelManifest"].content_type == "application/octet-stream"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"no parts here", CONTENT_TYPE),
        (multipart({"a": b"1"}), "application/json"),
        (multipart({"a": b"1"}).replace(f"--{BOUNDARY}--".encode(), b""), CONTENT_TYPE),
        (f"--{BOUNDARY}\r\nno-colon-header\r\n\r\nx\r\n--{BOUNDARY}--\r\n".encode(), CONTENT_TYPE),
    ],
    ids=["no-delimiters", "not-multipart", "unterminated", "bad-header"],
)
def test_malformed_multipart_is_refused(body: bytes, content_type: str) -> None:
    with pytest.raises(MultipartError):
        parse_multipart(body, content_type)


@given(st.integers(min_value=1, max_value=10_000), st.data())
def test_a_satisfiable_range_stays_inside_the_file(size: int, data: st.DataObject) -> None:
    first = data.draw(st.integers(min_value=0, max_value=size - 1))
    last = data.draw(st.integers(min_value=first, max_value=size * 2))
    assert parse_range(f"bytes={first}-{last}", size) == (first, min(last, size - 1))


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=100))
def test_a_range_starting_past_the_end_is_416(size: int, beyond: int) -> None:
    with pytest.raises(ApiError) as caught:
        parse_range(f"bytes={size + beyond}-", size)
    assert caught.value.status == 416
    assert caught.value.headers == {"Content-Range": f"bytes */{size}"}


@pytest.mark.parametrize("header", [None, "", "items=0-1", "bytes=0-1,5-6", "bytes=5-2", "bytes=-"])
def test_ranges_that_are_ignored(header: str | None) -> None:
    assert parse_range(header, 100) is None


def test_property_specs() -> None:
    assert parse_properties("a=1,2;b=x\\;y;c=") == {"a": ["1", "2"], "b": ["x;y"], "c": [""]}
