"""Tests for shallot.http.ranges: reading Range headers and resolving them against a length."""

from __future__ import annotations

import dataclasses

import pytest

from shallot.http.ranges import (
    MAX_RANGES,
    ByteRange,
    InvalidRange,
    RangeNotSatisfiable,
    RangeRequest,
    RangeSpec,
    content_range,
    parse_range,
)


def test_byte_range_length() -> None:
    assert ByteRange(0, 100).length == 100
    assert ByteRange(5, 6).length == 1


@pytest.mark.parametrize(("start", "stop"), [(0, 0), (5, 4), (-1, 3), (10, 10)])
def test_byte_range_rejects_empty_or_negative(start: int, stop: int) -> None:
    with pytest.raises(ValueError, match="not a byte range"):
        ByteRange(start, stop)


def test_byte_range_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ByteRange(0, 1).start = 1  # type: ignore[misc]  # proving the record is immutable


@pytest.mark.parametrize(
    ("header", "specs"),
    [
        ("bytes=0-499", [RangeSpec(0, 499)]),
        ("bytes=500-999", [RangeSpec(500, 999)]),
        ("bytes=-500", [RangeSpec(None, 500)]),
        ("bytes=9500-", [RangeSpec(9500, None)]),
        ("bytes=0-0,-1", [RangeSpec(0, 0), RangeSpec(None, 1)]),
        ("bytes= 0-0 , -1 ", [RangeSpec(0, 0), RangeSpec(None, 1)]),
        ("bytes=500-600,601-999", [RangeSpec(500, 600), RangeSpec(601, 999)]),
        ("BYTES=1-2", [RangeSpec(1, 2)]),
        ("Bytes=1-2", [RangeSpec(1, 2)]),
        (" bytes =1-2", [RangeSpec(1, 2)]),
        ("bytes=,1-2,,\t,3-4,", [RangeSpec(1, 2), RangeSpec(3, 4)]),
        ("bytes=5-5", [RangeSpec(5, 5)]),
        ("bytes=-0", [RangeSpec(None, 0)]),
        ("bytes=007-010", [RangeSpec(7, 10)]),
        ("bytes=0-" + "9" * 30, [RangeSpec(0, 10**30 - 1)]),
    ],
)
def test_parse_range(header: str, specs: list[RangeSpec]) -> None:
    assert parse_range(header) == RangeRequest(tuple(specs))


def test_parse_range_allows_the_maximum_number_of_ranges() -> None:
    header = "bytes=" + ",".join(f"{i}-{i}" for i in range(MAX_RANGES))
    assert len(parse_range(header).specs) == MAX_RANGES


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("0-499", "no range unit"),
        ("", "no range unit"),
        ("items=0-5", "unsupported range unit"),
        ("bytes0=0-5", "unsupported range unit"),
        ("=0-5", "unsupported range unit"),
        ("bytes=", "no ranges"),
        ("bytes= , ,", "no ranges"),
        ("bytes=5", "not first-last"),
        ("bytes=-", "not first-last"),
        ("bytes=0-5,-", "not first-last"),
        ("bytes=a-5", "digits"),
        ("bytes=0-b", "digits"),
        ("bytes=-5-10", "digits"),
        ("bytes=--5", "digits"),
        ("bytes=0--5", "digits"),
        ("bytes=+1-5", "digits"),
        ("bytes=1 - 5", "digits"),
        ("bytes=0x10-20", "digits"),
        ("bytes=1.5-2", "digits"),
        ("bytes=\u0661-\u0662", "ASCII"),
        ("bytes=\u00b9-5", "ASCII"),
        ("bytes=10-5", "ends before it starts"),
        ("bytes=0-1;2-3", "digits"),
        ("bytes=0-" + "9" * 31, "too long"),
        ("bytes=" + "9" * 5000 + "-", "too long"),
    ],
)
def test_parse_range_rejects(header: str, reason: str) -> None:
    with pytest.raises(InvalidRange, match=reason) as caught:
        parse_range(header)
    assert caught.value.header == header
    assert isinstance(caught.value, ValueError)


def test_parse_range_rejects_too_many_ranges() -> None:
    header = "bytes=" + ",".join(f"{i}-{i}" for i in range(MAX_RANGES + 1))
    with pytest.raises(InvalidRange, match="more than 100 ranges"):
        parse_range(header)


def test_parse_range_counts_only_real_ranges() -> None:
    header = "bytes=" + ",".join(["0-0"] * MAX_RANGES) + "," * 500
    assert len(parse_range(header).specs) == MAX_RANGES


def _resolve(header: str, length: int) -> list[tuple[int, int]]:
    return [(r.start, r.stop) for r in parse_range(header).resolve(length)]


@pytest.mark.parametrize(
    ("header", "length", "expected"),
    [
        ("bytes=0-499", 10000, [(0, 500)]),
        ("bytes=500-999", 10000, [(500, 1000)]),
        ("bytes=-500", 10000, [(9500, 10000)]),
        ("bytes=9500-", 10000, [(9500, 10000)]),
        ("bytes=0-0,-1", 10000, [(0, 1), (9999, 10000)]),
        ("bytes=0-99999", 1000, [(0, 1000)]),
        ("bytes=-5000", 1000, [(0, 1000)]),
        ("bytes=999-", 1000, [(999, 1000)]),
        ("bytes=999-999", 1000, [(999, 1000)]),
        ("bytes=0-", 1, [(0, 1)]),
        ("bytes=500-600,601-999", 10000, [(500, 1000)]),
        ("bytes=500-700,601-999", 10000, [(500, 1000)]),
        ("bytes=601-999,500-600", 10000, [(500, 1000)]),
        ("bytes=0-10,20-30,5-25", 100, [(0, 31)]),
        ("bytes=50-60,0-10", 100, [(0, 11), (50, 61)]),
        ("bytes=0-10,12-20", 100, [(0, 11), (12, 21)]),
        ("bytes=0-10,2-3", 100, [(0, 11)]),
        ("bytes=-10,90-", 100, [(90, 100)]),
        ("bytes=1000-2000,0-9", 100, [(0, 10)]),
        ("bytes=-0,0-9", 100, [(0, 10)]),
    ],
)
def test_resolve(header: str, length: int, expected: list[tuple[int, int]]) -> None:
    assert _resolve(header, length) == expected


@pytest.mark.parametrize(
    ("header", "length"),
    [
        ("bytes=1000-", 1000),
        ("bytes=1000-2000", 1000),
        ("bytes=-0", 1000),
        ("bytes=0-", 0),
        ("bytes=-5", 0),
        ("bytes=1000-,2000-3000,-0", 1000),
    ],
)
def test_resolve_unsatisfiable(header: str, length: int) -> None:
    with pytest.raises(RangeNotSatisfiable) as caught:
        parse_range(header).resolve(length)
    assert caught.value.length == length
    assert caught.value.content_range == f"bytes */{length}"


def test_resolve_rejects_negative_length() -> None:
    with pytest.raises(ValueError, match="negative length"):
        parse_range("bytes=0-1").resolve(-1)


def test_resolve_drops_a_spec_without_positions() -> None:
    request = RangeRequest((RangeSpec(None, None), RangeSpec(0, 0)))
    assert request.resolve(10) == [ByteRange(0, 1)]


def test_content_range() -> None:
    assert content_range(ByteRange(0, 100), 1000) == "bytes 0-99/1000"
    assert content_range(ByteRange(999, 1000), 1000) == "bytes 999-999/1000"


def test_content_range_rejects_range_past_length() -> None:
    with pytest.raises(ValueError, match="runs past"):
        content_range(ByteRange(0, 101), 100)
