"""The Timeout header: parsed strictly, capped by the maximum, written back."""

from __future__ import annotations

import pytest

from shallot.locks import InvalidTimeout, format_timeout, parse_timeout
from shallot.locks.timeouts import LARGEST_TIMEOUT, cap_timeout, check_seconds


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        ("Infinite", None),
        ("infinite", None),
        ("Second-60", 60),
        ("second-60", 60),
        ("SECOND-1", 1),
        ("Second-4100000000", 4_100_000_000),
        (f"Second-{LARGEST_TIMEOUT}", LARGEST_TIMEOUT),
        ("Infinite, Second-4100000000", None),
        ("Second-5, Infinite", 5),
        (" Second-5 ,", 5),
        ("Second-007", 7),
    ],
)
def test_parse(value: str | None, seconds: int | None) -> None:
    assert parse_timeout(value) == seconds


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "no timeout given"),
        (" , ", "no timeout given"),
        ("Second-", "neither"),
        ("Second-x", "neither"),
        ("Second--5", "neither"),
        ("Second-5.5", "neither"),
        ("Seconds-5", "neither"),
        ("5", "neither"),
        ("Infinite, Bogus", "'Bogus'"),
        ("Second-0", "at least one second"),
        (f"Second-{LARGEST_TIMEOUT + 1}", "more than"),
    ],
)
def test_malformed_headers_are_refused(value: str, reason: str) -> None:
    with pytest.raises(InvalidTimeout) as caught:
        parse_timeout(value)
    assert caught.value.value == value
    assert reason in caught.value.reason
    assert caught.value.status == 400


@pytest.mark.parametrize("seconds", [0, -1, LARGEST_TIMEOUT + 1, True])
def test_check_seconds_refuses_unusable_numbers(seconds: int) -> None:
    with pytest.raises(InvalidTimeout):
        check_seconds(seconds)


@pytest.mark.parametrize(
    ("requested", "maximum", "granted"),
    [
        (None, 3600, 3600),
        (60, 3600, 60),
        (7200, 3600, 3600),
        (None, None, None),
        (7200, None, 7200),
    ],
)
def test_cap(requested: int | None, maximum: int | None, granted: int | None) -> None:
    assert cap_timeout(requested, maximum) == granted


def test_format() -> None:
    assert format_timeout(None) == "Infinite"
    assert format_timeout(600) == "Second-600"
    assert parse_timeout(format_timeout(600)) == 600
