"""Tests for simulator.timefmt: Infobip date-time strings, instants and durations."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from simulator.timefmt import (
    DAY,
    HOUR,
    MINUTE,
    SECOND,
    DurationFormatError,
    InstantFormatError,
    format_duration,
    format_instant,
    from_datetime,
    parse_duration,
    parse_instant,
    to_datetime,
)

BASE = 1_893_553_445_000
"""2030-01-02T03:04:05.000Z."""

INFOBIP_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$")


def utc(year: int, month: int, day: int, hour: int, minute: int, second: int) -> int:
    """Milliseconds for a UTC wall time."""
    return from_datetime(datetime(year, month, day, hour, minute, second, tzinfo=UTC))


# -- parse_instant: the forms real clients send ---------------------------------------------


def test_reference_example_from_the_docs() -> None:
    assert parse_instant("2021-08-25T16:00:00.000+0000") == 1_629_907_200_000
    assert utc(2030, 1, 2, 3, 4, 5) == BASE


@pytest.mark.parametrize(
    ("fraction", "millis"),
    [
        ("", 0),
        (".1", 100),
        (".12", 120),
        (".123", 123),
        (".1234", 123),
        (".12345", 123),
        (".123456", 123),
        (".1234567", 123),
        (".12345678", 123),
        (".123456789", 123),
        (".999999999", 999),
        (".0", 0),
        (".000000001", 0),
        (",5", 500),
    ],
)
def test_zero_to_nine_fraction_digits_truncate_to_millis(fraction: str, millis: int) -> None:
    assert parse_instant(f"2030-01-02T03:04:05{fraction}Z") == BASE + millis
    assert parse_instant(f"2030-01-02T03:04:05{fraction}+0000") == BASE + millis


@pytest.mark.parametrize(
    ("offset", "shift"),
    [
        ("Z", 0),
        ("z", 0),
        ("", 0),
        ("+00:00", 0),
        ("+0000", 0),
        ("+00", 0),
        ("-00:00", 0),
        ("+01:00", -HOUR),
        ("+0100", -HOUR),
        ("+01", -HOUR),
        ("+05:30", -(5 * HOUR + 30 * MINUTE)),
        ("+0530", -(5 * HOUR + 30 * MINUTE)),
        ("-05:00", 5 * HOUR),
        ("-0500", 5 * HOUR),
        ("-05", 5 * HOUR),
        ("-03:30", 3 * HOUR + 30 * MINUTE),
        ("+14:00", -14 * HOUR),
        ("-12:00", 12 * HOUR),
        # A raw "+" in a query string arrives as a space.
        (" 0000", 0),
        (" 01:00", -HOUR),
        (" 0100", -HOUR),
        (" 01", -HOUR),
    ],
)
def test_offsets(offset: str, shift: int) -> None:
    assert parse_instant(f"2030-01-02T03:04:05.000{offset}") == BASE + shift
    assert parse_instant(f"2030-01-02T03:04:05{offset}") == BASE + shift


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Infobip's own format, and the scheduling example of the docs.
        ("2019-11-09T16:00:00.000+0100", utc(2019, 11, 9, 15, 0, 0)),
        ("2015-07-07T17:00:00.000+01:00", utc(2015, 7, 7, 16, 0, 0)),
        # Java SDK.
        ("2023-08-01T16:10:00.000+0530", utc(2023, 8, 1, 10, 40, 0)),
        ("2021-02-22T17:42:05.0+0100", utc(2021, 2, 22, 16, 42, 5)),
        # Old DLR sample without an offset.
        ("2015-06-04T13:01:52.933", utc(2015, 6, 4, 13, 1, 52) + 933),
        # Python SDK: datetime.isoformat() in JSON bodies (micros, or no fraction at all).
        ("2030-01-02T03:04:05.123000+01:00", BASE - HOUR + 123),
        ("2030-01-02T03:04:05+00:00", BASE),
        ("2030-01-02T03:04:05.123000", BASE + 123),
        # Python SDK: strftime("%Y-%m-%dT%H:%M:%S.%f%z") in query parameters, decoded or not.
        ("2024-01-01T00:00:00.000000+0000", utc(2024, 1, 1, 0, 0, 0)),
        ("2024-01-01T00:00:00.000000 0000", utc(2024, 1, 1, 0, 0, 0)),
        # /sms/3/logs example.
        ("2020-02-22T17:42:05.390+01:00", utc(2020, 2, 22, 16, 42, 5) + 390),
        # Space instead of T, minutes precision, a bare date, surrounding blanks.
        ("2030-01-02 03:04:05", BASE),
        ("2030-01-02T03:04", BASE - 5 * SECOND),
        ("2030-01-02T03:04+01:00", BASE - 5 * SECOND - HOUR),
        ("2030-01-02", utc(2030, 1, 2, 0, 0, 0)),
        ("  2030-01-02T03:04:05Z  ", BASE),
        # Leap day, the epoch and before it.
        ("2024-02-29T12:00:00Z", utc(2024, 2, 29, 12, 0, 0)),
        ("1970-01-01T00:00:00.000+0000", 0),
        ("1969-12-31T23:59:59.999Z", -1),
        ("1970-01-01T00:30:00+01:00", -30 * MINUTE),
    ],
)
def test_forms_real_clients_send(text: str, expected: int) -> None:
    assert parse_instant(text) == expected


def test_python_isoformat_round_trips() -> None:
    moment = datetime(2030, 1, 2, 3, 4, 5, 678_901, tzinfo=timezone(timedelta(hours=2)))
    assert parse_instant(moment.isoformat()) == from_datetime(moment)
    assert parse_instant(moment.strftime("%Y-%m-%dT%H:%M:%S.%f%z")) == from_datetime(moment)
    naive = datetime(2030, 1, 2, 3, 4, 5)
    assert parse_instant(naive.isoformat()) == BASE


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "yesterday",
        "2030",
        "2030-01",
        "2030-1-02T03:04:05Z",
        "2030-01-2T03:04:05Z",
        "30-01-02T03:04:05Z",
        "2030/01/02T03:04:05Z",
        "20300102T030405Z",
        "2030-01-02T3:04:05Z",
        "2030-01-02T03:4:05Z",
        "2030-01-02T03:04:5Z",
        "2030-01-02T03",
        "2030-01-02T03:04:05.",
        "2030-01-02T03:04:05.1234567890Z",
        "2030-01-02T03:04:05ZZ",
        "2030-01-02T03:04:05+1",
        "2030-01-02T03:04:05+100",
        "2030-01-02T03:04:05+01:0",
        "2030-01-02T03:04:05+01:000",
        "2030-01-02T03:04:05 +01:00",
        "2030-01-02T03:04:05 UTC",
        "2030-01-02T03:04:05+01:00Z",
        "2030-01-02X03:04:05Z",
        "2030-01-02T03:04:05Zjunk",
        "２０３０-01-02T03:04:05Z",
        "2030-01-02T03:04:05.１２３Z",
    ],
)
def test_invalid_strings(text: str) -> None:
    with pytest.raises(InstantFormatError, match="not a date-time"):
        parse_instant(text)


@pytest.mark.parametrize(
    "text",
    [
        "2030-13-01T00:00:00Z",
        "2030-00-01T00:00:00Z",
        "2030-01-00T00:00:00Z",
        "2030-01-32T00:00:00Z",
        "2030-02-29T00:00:00Z",
        "2030-04-31T00:00:00Z",
        "2030-01-02T24:00:00Z",
        "2030-01-02T23:60:00Z",
        "2030-01-02T23:59:60Z",
    ],
)
def test_invalid_dates(text: str) -> None:
    with pytest.raises(InstantFormatError, match="not a valid date-time"):
        parse_instant(text)


@pytest.mark.parametrize(
    "offset", ["+24:00", "+2400", "+24", "-24:00", "+01:60", "+0160", "-99:99", " 25:00"]
)
def test_invalid_offsets(offset: str) -> None:
    with pytest.raises(InstantFormatError, match="invalid UTC offset"):
        parse_instant(f"2030-01-02T03:04:05.000{offset}")


def test_instant_format_error_is_a_value_error_naming_the_text() -> None:
    with pytest.raises(ValueError, match=re.escape("'tomorrow-ish'")) as caught:
        parse_instant("tomorrow-ish")
    assert isinstance(caught.value, InstantFormatError)
    assert "2021-08-25T16:00:00.000+0000" in str(caught.value)


# -- format_instant -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("millis", "text"),
    [
        (0, "1970-01-01T00:00:00.000+0000"),
        (5, "1970-01-01T00:00:00.005+0000"),
        (1_629_907_200_000, "2021-08-25T16:00:00.000+0000"),
        (BASE + 123, "2030-01-02T03:04:05.123+0000"),
        (BASE + 999, "2030-01-02T03:04:05.999+0000"),
        (-1, "1969-12-31T23:59:59.999+0000"),
        (utc(2024, 2, 29, 23, 59, 59), "2024-02-29T23:59:59.000+0000"),
        (utc(9999, 12, 31, 23, 59, 59) + 999, "9999-12-31T23:59:59.999+0000"),
    ],
)
def test_format_instant(millis: int, text: str) -> None:
    assert format_instant(millis) == text
    assert INFOBIP_FORMAT.match(format_instant(millis))


def test_format_always_utc_whatever_the_input_offset() -> None:
    assert format_instant(parse_instant("2015-07-07T17:00:00.000+01:00")) == (
        "2015-07-07T16:00:00.000+0000"
    )
    assert format_instant(parse_instant("2015-07-07T17:00:00.000-0230")) == (
        "2015-07-07T19:30:00.000+0000"
    )


def test_format_parse_round_trip() -> None:
    rng = random.Random(20260101)
    for _ in range(2000):
        millis = rng.randrange(-10 * 365 * DAY, 200 * 365 * DAY)
        text = format_instant(millis)
        assert INFOBIP_FORMAT.match(text), text
        assert parse_instant(text) == millis


def test_datetime_conversions() -> None:
    assert to_datetime(BASE + 250) == datetime(2030, 1, 2, 3, 4, 5, 250_000, tzinfo=UTC)
    assert to_datetime(BASE).tzinfo is not None
    assert from_datetime(datetime(2030, 1, 2, 3, 4, 5)) == BASE
    assert from_datetime(datetime(2030, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2)))) == (
        BASE
    )
    assert from_datetime(to_datetime(-12_345)) == -12_345


# -- parse_duration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "millis"),
    [
        ("90s", 90 * SECOND),
        ("15m", 15 * MINUTE),
        ("2h", 2 * HOUR),
        ("1h30m", 90 * MINUTE),
        ("500ms", 500),
        ("PT15M", 15 * MINUTE),
        ("P1DT2H", DAY + 2 * HOUR),
        ("P1W", 7 * DAY),
        ("P2D", 2 * DAY),
        ("P1W2D", 9 * DAY),
        ("PT90S", 90 * SECOND),
        ("PT1H30M15S", HOUR + 30 * MINUTE + 15 * SECOND),
        ("PT1.5H", 90 * MINUTE),
        ("PT0.5S", 500),
        ("pt15m", 15 * MINUTE),
        ("1d", DAY),
        ("1w", 7 * DAY),
        ("10sec", 10 * SECOND),
        ("5min", 5 * MINUTE),
        ("2H", 2 * HOUR),
        ("1.5h", 90 * MINUTE),
        ("0.25s", 250),
        ("1h 30m", 90 * MINUTE),
        ("15 m", 15 * MINUTE),
        ("  15m  ", 15 * MINUTE),
        ("1d2h3m4s5ms", DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND + 5),
        ("0s", 0),
        ("90", 90 * SECOND),
        ("1.5", 1500),
        ("0", 0),
    ],
)
def test_durations(text: str, millis: int) -> None:
    assert parse_duration(text) == millis


@pytest.mark.parametrize(
    ("number", "millis"),
    [(90, 90 * SECOND), (1.5, 1500), (0, 0), (0.0004, 0), (0.0006, 1), (3600, HOUR)],
)
def test_numbers_are_seconds(number: float, millis: int) -> None:
    assert parse_duration(number) == millis


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "15x",
        "m",
        "h1",
        "1h30",
        "15m junk",
        "1h,30m",
        "5mins",
        "2hours",
        "1..5h",
        "P",
        "PT",
        "P1H",
        "PT15X",
        "P1.5W",
        "PT15M30",
        "P-1D",
        "inf",
        "nan",
        "1e400",
        "５m",
    ],
)
def test_bad_durations(text: str) -> None:
    with pytest.raises(DurationFormatError):
        parse_duration(text)


@pytest.mark.parametrize("value", ["-5", "-5m", " -1h", "-PT5M", "-0.5s", -1, -0.5])
def test_negative_durations_are_refused(value: str | float) -> None:
    with pytest.raises(DurationFormatError, match="cannot be negative"):
        parse_duration(value)


@pytest.mark.parametrize("value", [float("inf"), float("nan")])
def test_non_finite_numbers_are_refused(value: float) -> None:
    with pytest.raises(DurationFormatError, match="finite"):
        parse_duration(value)


def test_booleans_are_not_numbers() -> None:
    with pytest.raises(DurationFormatError, match="must be a string"):
        parse_duration(True)


def test_duration_errors_are_value_errors_that_explain() -> None:
    with pytest.raises(ValueError, match=re.escape("'15x' is not a duration")):
        parse_duration("15x")
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_duration("PT")


@pytest.mark.parametrize(
    ("millis", "text"),
    [(0, "0s"), (250, "250ms"), (90 * SECOND, "1m30s"), (90 * MINUTE, "1h30m"), (DAY + 5, "1d5ms")],
)
def test_format_duration(millis: int, text: str) -> None:
    assert format_duration(millis) == text
    assert parse_duration(text) == millis
