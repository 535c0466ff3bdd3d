"""Errors carry what a server needs, and sort into bad input and breached limits."""

from __future__ import annotations

import pytest

from shallot.props import (
    ConflictingPatch,
    IncompatibleStorage,
    InvalidPropertyName,
    InvalidPropertyValue,
    InvalidResourceURL,
    OverlappingTrees,
    PropertyError,
    PropertyLimitExceeded,
    PropertyValueTooLarge,
    TooManyProperties,
)


@pytest.mark.parametrize(
    "error",
    [
        InvalidPropertyName("x", "why"),
        InvalidPropertyValue("{DAV:}x", "why"),
        InvalidResourceURL("x", "why"),
        ConflictingPatch(["{DAV:}x"]),
        OverlappingTrees("/a", "/a/b"),
    ],
)
def test_bad_input_is_a_value_error(error: PropertyError) -> None:
    assert isinstance(error, ValueError)
    assert isinstance(error, PropertyError)


def test_limits_carry_the_limit_and_the_offender() -> None:
    too_large = PropertyValueTooLarge("/a", "{DAV:}x", 10, 11)
    too_many = TooManyProperties("/a", 3, 4)
    for error in (too_large, too_many):
        assert isinstance(error, PropertyLimitExceeded)
        assert not isinstance(error, ValueError)
        assert error.url == "/a"
    assert (too_large.name, too_large.limit, too_large.actual) == ("{DAV:}x", 10, 11)
    assert (too_many.limit, too_many.actual) == (3, 4)
    assert str(too_large) == "/a: property {DAV:}x is 11 bytes, above the limit of 10"
    assert str(too_many) == "/a: the patch would leave 4 properties, above the limit of 3"


def test_messages_name_the_fault() -> None:
    assert str(InvalidPropertyName("x", "why")) == "invalid property name 'x': why"
    assert str(ConflictingPatch(["{b}y", "{a}x"])) == "a patch both sets and removes {a}x, {b}y"
    assert ConflictingPatch(["{a}x"]).names == frozenset({"{a}x"})
    error = OverlappingTrees("/a", "/a/b")
    assert (error.source, error.destination) == ("/a", "/a/b")
    incompatible = IncompatibleStorage("props.sqlite", 7)
    assert (incompatible.location, incompatible.version) == ("props.sqlite", 7)
    assert "schema version 7" in str(incompatible)
