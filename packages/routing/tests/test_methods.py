"""Method flags, method names, and the Allow header."""

from __future__ import annotations

import pytest

from shallot.routing import (
    METHOD_ALL,
    METHOD_DELETE,
    METHOD_GET,
    METHOD_GET_POST,
    METHOD_HEAD,
    METHOD_OPTIONS,
    METHOD_POST,
    Method,
    format_allow,
    method_names,
    parse_allow,
)


def test_flags_combine_and_name_their_methods() -> None:
    assert method_names(METHOD_GET) == {"GET"}
    assert method_names(METHOD_GET | METHOD_POST | METHOD_DELETE) == {"GET", "POST", "DELETE"}
    assert method_names(METHOD_GET_POST) == {"GET", "HEAD", "POST"}
    assert method_names(METHOD_ALL) == set(Method.__members__)
    assert len(method_names(METHOD_ALL)) == 9


def test_names_are_taken_as_given() -> None:
    assert method_names("PROPFIND") == {"PROPFIND"}
    assert method_names(["GET", "MKCOL", "GET"]) == {"GET", "MKCOL"}
    assert method_names(("post",)) == {"post"}  # methods are case-sensitive


@pytest.mark.parametrize("bad", ["", "GET POST", "GE/T", "ÜBER"])
def test_bad_names_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not an HTTP method name"):
        method_names(bad)


def test_nothing_selected_is_refused() -> None:
    with pytest.raises(ValueError, match="no HTTP method"):
        method_names(Method(0))
    with pytest.raises(ValueError, match="no HTTP method"):
        method_names([])
    with pytest.raises(TypeError, match="must be str"):
        method_names([1])  # type: ignore[list-item]  # the check under test


def test_allow_lists_standard_methods_in_order_then_others_sorted() -> None:
    assert format_allow({"POST", "GET"}) == "GET, HEAD, POST"
    assert format_allow(["OPTIONS", "PROPFIND", "DELETE", "MKCOL"]) == (
        "DELETE, OPTIONS, MKCOL, PROPFIND"
    )
    assert format_allow(method_names(METHOD_HEAD | METHOD_OPTIONS)) == "HEAD, OPTIONS"


def test_allow_parses_back() -> None:
    assert parse_allow("GET, HEAD,POST , ,") == {"GET", "HEAD", "POST"}
    assert parse_allow(format_allow({"PUT", "GET"})) == {"GET", "HEAD", "PUT"}
    assert parse_allow("") == frozenset()
