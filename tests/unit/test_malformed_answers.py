"""Malformed or hostile values in a server's answer (headers, ids, dates): each is read,
ignored, or refused with a domain error, never a bare ValueError, OverflowError or
TypeError (which the CLI would show as a traceback)."""

from __future__ import annotations

import re
import types
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frogml.adapters.artifactory._answers import foreign_file_answer, started_at, timestamp
from frogml.adapters.artifactory._retry import parse_retry_after
from frogml.adapters.artifactory.health import _clock_check
from frogml.adapters.cli._format import iso_time
from frogml.domain.errors import ProtocolError

NOW = datetime(2026, 11, 27, 9, 15, 2, tzinfo=timezone.utc)
WHAT = "reading something"
# Characters str.isdigit() takes that int() and float() may not: superscripts, other
# scripts' digits, fullwidth digits.
NOT_ASCII_DIGITS = ["\xb2", "\xb9\xb2\xb3", "\u0663", "\uff11\uff12", "1\xb2"]
# Text a header or a JSON string may hold: numbers in digits of every kind, HTTP and
# ISO dates with every sort of zone, anything.
digits = st.text(st.sampled_from("0123456789\xb2\xb3\xb9\u0663\uff11"), min_size=1, max_size=20)
http_date = st.builds(
    "{}{:02d} {} {} {:02d}:{:02d}:{:02d}{}".format,
    st.sampled_from(["Mon, ", "Fri, ", ""]),
    st.integers(0, 32),
    st.sampled_from(["Jan", "Dec", "Foo"]),
    st.sampled_from(["0001", "70", "1970", "2026", "9999", "10000", "9" * 20]) | digits,
    st.integers(0, 24),
    st.integers(0, 60),
    st.integers(0, 61),
    st.sampled_from(["", " -0000", " +0000", " GMT", " UT", " EST", " +2359", " -2359", " X"]),
)
date_like = st.builds(
    "{}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}".format,
    st.sampled_from(["0001", "0002", "1970", "2026", "9998", "9999"]),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from(["", "Z", "+00:00", "-01:00", "+0100", "-2359", "+23:59", ".000-0100"]),
)
header_text = (
    digits | http_date | st.text(max_size=40) | st.text(st.characters(codec="latin-1"), max_size=40)
)


# -- Retry-After (read on every answer) ---------------------------------------------------
@pytest.mark.parametrize("header", NOT_ASCII_DIGITS)
def test_a_retry_after_of_digits_other_than_ascii_is_no_retry_after(header: str) -> None:
    assert parse_retry_after(header, NOW) is None


def test_a_retry_after_date_past_any_year_is_no_retry_after() -> None:
    header = "Mon, 01 Jan 99999999999999999999 00:00:00 GMT"
    assert parse_retry_after(header, NOW) is None


@given(header_text)
def test_any_retry_after_is_seconds_to_wait_or_none(header: str) -> None:
    delay = parse_retry_after(header, NOW)
    assert delay is None or delay >= 0.0


# -- Content-Length of a file's GET -------------------------------------------------------
@pytest.mark.parametrize("length", [*NOT_ASCII_DIGITS, "abc", "-1", "11, 12"])
def test_an_unreadable_content_length_makes_an_answer_foreign(length: str) -> None:
    foreign = foreign_file_answer({"Content-Length": length}, size=11, expected=11)
    assert foreign is not None
    assert "unreadable Content-Length" in foreign


@pytest.mark.parametrize(
    ("headers", "foreign"),
    [
        ({}, False),
        ({"Content-Length": "11"}, False),
        ({"Content-Length": " 11 "}, False),
        ({"Content-Length": "11, 11"}, False),  # a repeated header: urllib3 takes it too
        ({"Content-Length": "12"}, True),
        ({"Content-Length": "11", "Content-Type": "text/html"}, False),
    ],
)
def test_a_readable_content_length_is_checked_as_before(
    headers: dict[str, str], foreign: bool
) -> None:
    assert (foreign_file_answer(headers, size=11, expected=11) is not None) is foreign


@given(header_text, header_text, header_text)
def test_any_file_answer_headers_give_a_reason_or_none(
    length: str, kind: str, content_range: str
) -> None:
    headers = {"Content-Length": length, "Content-Type": kind, "Content-Range": content_range}
    foreign = foreign_file_answer(headers, size=11, expected=11)
    assert foreign is None or isinstance(foreign, str)


# -- transactionId: epoch milliseconds ----------------------------------------------------
def test_a_transaction_id_past_the_year_9999_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError, match=r"transactionId '999999999999999' is out of range"):
        started_at("999999999999999", WHAT)


def test_the_last_millisecond_of_the_year_9999_is_a_transaction_start() -> None:
    last = datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=timezone.utc)
    assert started_at("253402300799999", WHAT) == last
    with pytest.raises(ProtocolError):
        started_at("253402300800000", WHAT)


@given(st.integers(0, 10**15 - 1).map(str) | header_text)
def test_any_transaction_id_is_a_utc_time_or_a_protocol_error(transaction_id: str) -> None:
    try:
        moment = started_at(transaction_id, WHAT)
    except ProtocolError:
        return
    assert moment.tzinfo is timezone.utc


# -- lastModified: an ISO date --------------------------------------------------------------
@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59-01:00",
        "9999-12-31T23:59:59.000-01:00",
        "9999-12-31T23:59:59.000-0100",
        "0001-01-01T00:00:00+01:00",
    ],
)
def test_a_last_modified_outside_the_years_1_to_9999_in_utc_is_a_protocol_error(
    value: str,
) -> None:
    with pytest.raises(ProtocolError, match=re.escape(f"bad lastModified {value!r}")):
        timestamp(value, WHAT)


def test_a_last_modified_is_given_in_utc() -> None:
    moment = timestamp("2023-10-20T15:25:58.265+0200", WHAT)
    assert moment.tzinfo is timezone.utc
    assert moment == datetime(2023, 10, 20, 13, 25, 58, 265000, tzinfo=timezone.utc)
    assert timestamp("9999-12-31T23:59:59.000Z", WHAT).year == 9999


def test_a_long_bad_last_modified_is_cut_in_the_message() -> None:
    with pytest.raises(ProtocolError) as caught:
        timestamp("x" * 10_000, WHAT)
    assert len(str(caught.value)) < 200


@given(date_like | header_text)
def test_any_last_modified_is_a_utc_time_every_command_can_show_or_a_protocol_error(
    value: str,
) -> None:
    try:
        moment = timestamp(value, WHAT)
    except ProtocolError:
        return
    assert moment.tzinfo is timezone.utc
    iso_time(moment)  # what `model versions` shows


# -- Date of the ping (frogml doctor's clock check) ----------------------------------------
@pytest.mark.parametrize("zone", [" -0000", ""])
def test_a_date_header_without_a_zone_is_taken_as_utc(zone: str) -> None:
    now = datetime.now(timezone.utc)
    header = now.strftime("%a, %d %b %Y %H:%M:%S") + zone
    check = _clock_check(header)
    assert (check.verdict, check.detail[:12]) == ("ok", "local clock ")
    behind = (now - timedelta(hours=1)).strftime("%a, %d %b %Y %H:%M:%S") + zone
    assert _clock_check(behind).verdict == "fail"


def test_a_date_header_past_any_year_is_unreadable() -> None:
    check = _clock_check("Mon, 01 Jan 99999999999999999999 00:00:00 GMT")
    assert check.verdict == "warn"
    assert "unreadable Date header" in check.detail


@given(header_text)
def test_any_date_header_gives_a_clock_check(header: str) -> None:
    assert _clock_check(header).name == "clock"


@pytest.mark.parametrize("spec", ["bytes ²-10/11", "bytes ٣-10/11", "bytes -1-10/11"])
def test_a_content_range_that_is_not_a_decimal_number_is_no_range(spec: str) -> None:
    from frogml.adapters.artifactory._download import _range_start
    from frogml.adapters.artifactory._ranges import _first_byte

    answer = types.SimpleNamespace(headers={"Content-Range": spec})
    assert _range_start(answer) is None  # type: ignore[arg-type]
    assert _first_byte(answer) is None  # type: ignore[arg-type]


def test_a_login_method_typed_as_a_superscript_digit_is_a_usage_error() -> None:
    import click

    from frogml.adapters.cli._login_prompts import _method

    with pytest.raises(click.UsageError):
        _method("²")
    assert _method("1") == "token"
