"""Tests for shallot.http.etags: entity tags, their comparison, lists and construction."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pytest

from shallot.http.etags import (
    ETag,
    ETagList,
    InvalidETag,
    make_etag,
    parse_etag,
    parse_etag_list,
    strong_match,
    weak_match,
)


def test_str_of_strong_and_weak_tags() -> None:
    assert str(ETag("abc")) == '"abc"'
    assert str(ETag("abc", weak=True)) == 'W/"abc"'
    assert str(ETag("")) == '""'


def test_etag_is_frozen_and_hashable() -> None:
    tag = ETag("abc")
    with pytest.raises(dataclasses.FrozenInstanceError):
        tag.value = "x"  # type: ignore[misc]  # proving the record is immutable
    assert {tag, ETag("abc")} == {ETag("abc")}
    assert ETag("abc") != ETag("abc", weak=True)


def test_etag_accepts_obs_text() -> None:
    assert ETag("caf\u00e9").value == "caf\u00e9"


@pytest.mark.parametrize("value", ['a"b', "a b", "a\tb", "a\x00", "a\x7f", "\u0100", "\u20ac"])
def test_etag_rejects_bad_characters(value: str) -> None:
    with pytest.raises(InvalidETag) as caught:
        ETag(value)
    assert caught.value.value == value
    assert isinstance(caught.value, ValueError)


# RFC 9110 section 8.8.3.2, the example table.
@pytest.mark.parametrize(
    ("a", "b", "strong", "weak"),
    [
        (ETag("1", weak=True), ETag("1", weak=True), False, True),
        (ETag("1", weak=True), ETag("2", weak=True), False, False),
        (ETag("1", weak=True), ETag("1"), False, True),
        (ETag("1"), ETag("1"), True, True),
        (ETag("1"), ETag("2"), False, False),
    ],
)
def test_comparison_table(a: ETag, b: ETag, strong: bool, weak: bool) -> None:
    assert strong_match(a, b) is strong
    assert strong_match(b, a) is strong
    assert weak_match(a, b) is weak
    assert weak_match(b, a) is weak


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"abc"', ETag("abc")),
        ('W/"abc"', ETag("abc", weak=True)),
        ('w/"abc"', ETag("abc", weak=True)),
        ('  "abc"\t', ETag("abc")),
        ('""', ETag("")),
        ('W/""', ETag("", weak=True)),
    ],
)
def test_parse_etag(text: str, expected: ETag) -> None:
    assert parse_etag(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        '"abc',
        'abc"',
        '"',
        "W/abc",
        'W/"a"b"',
        '"a b"',
        '"a","b"',
        "*",
        'X/"a"',
        '"\u0100"',
    ],
)
def test_parse_etag_rejects(text: str) -> None:
    assert parse_etag(text) is None


def test_parse_list_star() -> None:
    assert parse_etag_list("*") == ETagList(any=True)
    assert parse_etag_list("  *  ") == ETagList(any=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"a"', (ETag("a"),)),
        ('"a", W/"b"', (ETag("a"), ETag("b", weak=True))),
        ('"a",W/"b",w/"c"', (ETag("a"), ETag("b", weak=True), ETag("c", weak=True))),
        (' , "a" ,, \t"b" , ', (ETag("a"), ETag("b"))),
        ('"a,b"', (ETag("a,b"),)),
        ('"*"', (ETag("*"),)),
        ("", ()),
        (" , ,", ()),
    ],
)
def test_parse_list(text: str, expected: tuple[ETag, ...]) -> None:
    assert parse_etag_list(text) == ETagList(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "not quoted"),
        ('"a", b', "not quoted"),
        ('*, "a"', "not quoted"),
        ('"a", *', "not quoted"),
        ("**", "not quoted"),
        ('W/ "a"', "not quoted"),
        ('"abc', "unterminated"),
        ('"a", "b', "unterminated"),
        ('W/"', "unterminated"),
        ('"a" "b"', "separated by commas"),
        ('"a"b', "separated by commas"),
        ('"a"W/"b"', "separated by commas"),
        ('"a\x01"', "character not allowed"),
        ('"\u0100"', "character not allowed"),
    ],
)
def test_parse_list_rejects_malformed(text: str, reason: str) -> None:
    with pytest.raises(InvalidETag, match=reason) as caught:
        parse_etag_list(text)
    assert caught.value.value == text


def test_list_matches_strong_and_weak() -> None:
    listed = ETagList((ETag("a", weak=True), ETag("b")))
    assert listed.matches(ETag("a"), weak=True)
    assert not listed.matches(ETag("a"), weak=False)
    assert listed.matches(ETag("b"), weak=False)
    assert not listed.matches(ETag("b", weak=True), weak=False)
    assert listed.matches(ETag("b", weak=True), weak=True)
    assert not listed.matches(ETag("c"), weak=True)


def test_list_star_matches_any_tag_but_not_none() -> None:
    star = ETagList(any=True)
    assert star.matches(ETag("x"), weak=False)
    assert star.matches(ETag("x", weak=True), weak=False)
    assert not star.matches(None, weak=True)


def test_empty_list_matches_nothing() -> None:
    assert not ETagList().matches(ETag("a"), weak=True)
    assert not ETagList((ETag("a"),)).matches(None, weak=True)


def test_make_etag_is_strong_and_deterministic() -> None:
    tag = make_etag(1024, 1_700_000_000_123_456_789, 42)
    assert not tag.weak
    assert tag == make_etag(1024, 1_700_000_000_123_456_789, 42)
    assert len(tag.value) == 32
    assert int(tag.value, 16) >= 0


def test_make_etag_is_stable_across_processes() -> None:
    code = "from shallot.http.etags import make_etag; print(make_etag(1, 'a', b'b', 2.5).value)"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert run.stdout == make_etag(1, "a", b"b", 2.5).value + "\n"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ((1, 2), (2, 1)),
        ((1,), ("1",)),
        (("a-b", "c"), ("a", "b-c")),
        ((b"x",), ("x",)),
        ((1,), (1.0,)),
        ((1, 2), (1, 2, 3)),
    ],
)
def test_make_etag_distinguishes_parts(
    left: tuple[str | bytes | int | float, ...], right: tuple[str | bytes | int | float, ...]
) -> None:
    assert make_etag(*left) != make_etag(*right)


def test_make_etag_accepts_any_text() -> None:
    assert make_etag("caf\u00e9", "\udc80").value.isalnum()


def test_make_etag_needs_a_part() -> None:
    with pytest.raises(ValueError, match="at least one part"):
        make_etag()
