"""The built-in filters, inline regexes and custom filters: match, convert, convert back."""

from __future__ import annotations

import uuid

import pytest

from shallot.routing import BUILTIN_FILTERS, RouteError
from shallot.routing.filters import DEFAULT_FILTER, inline_filter, make_filter

UUID_TEXT = "3f2b8c1e-9d4a-4f6b-8a2c-1e5d7f9b0c3a"


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("segment", ["a", "a b", "%", "ü"], ["", "a/b"]),
        ("int", ["0", "42", "-7", "007"], ["", "4.2", "+1", "x", "١٢"]),
        ("float", ["1", "1.5", "-0.25"], ["", "1.", ".5", "1e5", "nan"]),
        ("word", ["abc", "Žluťoučký", "a_1"], ["", "a-b", "a b", "a/b"]),
        ("hex", ["0", "deadBEEF"], ["", "0x1", "g"]),
        ("uuid", [UUID_TEXT, UUID_TEXT.upper()], ["", UUID_TEXT[:-1], UUID_TEXT + "0"]),
        ("path", ["a", "a/b/c", "a//b", "x/"], ["", "/a"]),
    ],
)
def test_builtin_regexes(name: str, good: list[str], bad: list[str]) -> None:
    compiled = BUILTIN_FILTERS[name].compiled
    for text in good:
        assert compiled.fullmatch(text), (name, text)
    for text in bad:
        assert compiled.fullmatch(text) is None, (name, text)


def test_builtin_conversions_and_their_inverses() -> None:
    filters = BUILTIN_FILTERS
    assert filters["int"].convert("-7") == -7
    assert filters["int"].to_url(-7) == "-7"
    assert filters["float"].convert("1.5") == 1.5
    assert filters["float"].to_url(1e20) == "100000000000000000000"
    assert filters["float"].to_url(2.5e-7) == "0.00000025"
    assert filters["float"].to_url(3) == "3.0"
    value = filters["uuid"].convert(UUID_TEXT.upper())
    assert value == uuid.UUID(UUID_TEXT)
    assert filters["uuid"].to_url(value) == UUID_TEXT
    assert filters["uuid"].to_url(UUID_TEXT.upper()) == UUID_TEXT
    assert filters["hex"].convert("FF") == "FF"
    assert filters["path"].url_safe == "/"
    assert DEFAULT_FILTER is filters["segment"]


@pytest.mark.parametrize("value", [True, "1.5", None])
def test_float_to_url_refuses_what_is_not_a_number(value: object) -> None:
    with pytest.raises(TypeError, match="expected a number"):
        BUILTIN_FILTERS["float"].to_url(value)


def test_uuid_to_url_refuses_garbage() -> None:
    with pytest.raises(ValueError, match="badly formed"):
        BUILTIN_FILTERS["uuid"].to_url("not-a-uuid")


def test_inline_filter() -> None:
    found = inline_filter("[a-z]{2}")
    assert (found.name, found.regex, found.convert, found.to_url) == (
        "re:[a-z]{2}",
        "[a-z]{2}",
        str,
        str,
    )
    with pytest.raises(RouteError, match="invalid filter regex"):
        inline_filter("(")
    with pytest.raises(RouteError, match="named groups"):
        inline_filter("(?P<x>a)")


def test_make_filter_checks_its_name() -> None:
    made = make_filter("year", r"[0-9]{4}", int, str)
    assert made.convert("2024") == 2024
    for bad in ["", "re", "two words", "ünicode", "1st"]:
        with pytest.raises(RouteError, match="ASCII identifier"):
            make_filter(bad, "x", str, str)
    with pytest.raises(RouteError, match="named groups") as raised:
        make_filter("pair", r"(?P<a>[0-9]+)-[0-9]+", str, str)
    assert raised.value.pattern == "pair"
