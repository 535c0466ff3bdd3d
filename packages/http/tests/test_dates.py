"""Tests for shallot.http.dates: IMF-fixdate output and reading RFC 9110's three date forms."""

from __future__ import annotations

import email.utils
import random
from datetime import date, datetime, timedelta, timezone

import pytest

from shallot.http.dates import _expand_two_digit_year, http_date, parse_http_date

UTC = timezone.utc
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SAMPLE = datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC)


def test_http_date_of_epoch() -> None:
    assert http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT"


def test_http_date_of_rfc_example_timestamp() -> None:
    assert http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT"


def test_http_date_drops_fractions() -> None:
    assert http_date(784111777.999) == "Sun, 06 Nov 1994 08:49:37 GMT"


def test_http_date_before_epoch() -> None:
    assert http_date(-1) == "Wed, 31 Dec 1969 23:59:59 GMT"


def test_http_date_naive_datetime_is_utc() -> None:
    assert http_date(datetime(1994, 11, 6, 8, 49, 37)) == "Sun, 06 Nov 1994 08:49:37 GMT"


def test_http_date_aware_datetime_is_converted() -> None:
    paris = timezone(timedelta(hours=2))
    assert http_date(datetime(1994, 11, 6, 10, 49, 37, 999, tzinfo=paris)) == (
        "Sun, 06 Nov 1994 08:49:37 GMT"
    )


def test_http_date_aware_utc_datetime() -> None:
    assert http_date(SAMPLE) == "Sun, 06 Nov 1994 08:49:37 GMT"


def test_http_date_pads_small_years() -> None:
    assert http_date(datetime(1, 1, 1)) == "Mon, 01 Jan 0001 00:00:00 GMT"


@pytest.mark.parametrize("days", range(0, 400, 7))
def test_http_date_agrees_with_stdlib_through_a_year(days: int) -> None:
    stamp = 1_700_000_000 + days * 86_400 + days * 3_701
    assert http_date(stamp) == email.utils.formatdate(stamp, usegmt=True)
    moment = datetime.fromtimestamp(stamp, UTC)
    assert http_date(moment) == email.utils.formatdate(stamp, usegmt=True)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 1e20, 2.6e11])
def test_http_date_rejects_unrepresentable_numbers(value: float) -> None:
    with pytest.raises(ValueError, match=r"timestamp|four-digit"):
        http_date(value)


@pytest.mark.parametrize(
    "value",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
        datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-2))),
    ],
)
def test_http_date_rejects_datetimes_without_utc_date(value: datetime) -> None:
    with pytest.raises(ValueError, match="UTC date"):
        http_date(value)


@pytest.mark.parametrize(
    "text",
    [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun Nov 06 08:49:37 1994",
        "  Sun, 06 Nov 1994 08:49:37 GMT\t",
        "sun, 06 nov 1994 08:49:37 gmt",
        "SUNDAY, 06-NOV-94 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun,  06  Nov  1994  08:49:37  GMT",
    ],
)
def test_parse_accepts_the_three_forms(text: str) -> None:
    parsed = parse_http_date(text)
    assert parsed == SAMPLE
    assert parsed is not None
    assert parsed.tzinfo is UTC


def test_parse_does_not_check_the_day_name_against_the_date() -> None:
    assert parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT") == SAMPLE


@pytest.mark.parametrize(
    "text",
    ["Sun, 06 Nov 1994 23:59:60 GMT", "Sunday, 06-Nov-94 23:59:60 GMT", "Sun Nov  6 23:59:60 1994"],
)
def test_parse_reads_leap_second_as_59(text: str) -> None:
    assert parse_http_date(text) == datetime(1994, 11, 6, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize("stamp", [0, 951782400, 1_700_000_000, 253402300799])
def test_parse_round_trips_http_date(stamp: int) -> None:
    assert parse_http_date(http_date(stamp)) == datetime.fromtimestamp(stamp, UTC)


def _rfc850(day: date) -> str:
    month = MONTHS[day.month - 1]
    return f"Sunday, {day.day:02d}-{month}-{day.year % 100:02d} 12:00:00 GMT"


def _fifty_years_ahead() -> date:
    today = datetime.now(UTC).date()
    try:
        return today.replace(year=today.year + 50)
    except ValueError:
        return today.replace(year=today.year + 50, day=28)


def test_two_digit_year_just_within_fifty_years_is_in_the_future() -> None:
    day = _fifty_years_ahead() - timedelta(days=2)
    assert parse_http_date(_rfc850(day)) == datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def test_two_digit_year_beyond_fifty_years_is_in_the_past() -> None:
    day = _fifty_years_ahead() + timedelta(days=2)
    expected = datetime(day.year - 100, day.month, day.day, 12, tzinfo=UTC)
    assert parse_http_date(_rfc850(day)) == expected


def test_two_digit_year_recently_past() -> None:
    day = datetime.now(UTC).date() - timedelta(days=400)
    assert parse_http_date(_rfc850(day)) == datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("two_digits", "month", "day", "clock", "expected"),
    [
        ("05", "Jan", "01", "00:00:00", "2105"),
        ("10", "Jun", "15", "12:00:00", "2110"),
        ("10", "Jun", "15", "12:00:01", "2010"),
        ("10", "Jun", "16", "00:00:00", "2010"),
        ("60", "Jan", "01", "00:00:00", "2060"),
        ("99", "Dec", "31", "23:59:59", "2099"),
    ],
)
def test_two_digit_year_window_late_in_a_century(
    two_digits: str, month: str, day: str, clock: str, expected: str
) -> None:
    now = datetime(2060, 6, 15, 12, 0, 0, tzinfo=UTC)
    assert _expand_two_digit_year(two_digits, month, day, clock, now) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 01994 08:49:37 GMT",
        "Fun, 06 Nov 1994 08:49:37 GMT",
        "Sun 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06 Nov 1994 08:49:37 GMT",
        "Sun, 31 Apr 1994 08:49:37 GMT",
        "Sun, 29 Feb 1995 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 0000 08:49:37 GMT",
        "Sun, 06 Xyz 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sun, 06 Nov 1994 08:49:3x GMT",
        "Sun, +6 Nov 1994 08:49:37 GMT",
        "Sun, 106 Nov 1994 08:49:37 GMT",
        "Sun, \u0660\u0666 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 UTC",
        "Sunday, 06-Nov-9x 08:49:37 GMT",
        "Sunday, 06-Nov-194 08:49:37 GMT",
        "Sunday, 06-Nov-94-1 08:49:37 GMT",
        "Sunday, 06/Nov/94 08:49:37 GMT",
        "Sunday 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 8:49:37 1994",
        "Sunday Nov  6 08:49:37 1994",
        "Sun Nov 31 08:49:37 1994",
        "Sun Nov  6 08:49:37 1994 GMT",
        "Sun Nov\x006 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 GMT\u00e9",
        "Sun, 06 Nov 1994 08:49:37 G\u00e9T",
        "1994-11-06T08:49:37Z",
        "784111777",
    ],
)
def test_parse_returns_none_for_bad_input(text: str) -> None:
    assert parse_http_date(text) is None


def test_parse_never_raises_on_random_input() -> None:
    rng = random.Random(9110)
    alphabet = "SunMo, 0123456789:-GMTNovDec \t\x00\xff\u0660"
    base = "Sun, 06 Nov 1994 08:49:37 GMT"
    for _ in range(3000):
        if rng.random() < 0.5:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(40)))
        else:
            chars = list(base)
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
            text = "".join(chars)
        result = parse_http_date(text)
        assert result is None or result.tzinfo is UTC
