"""The errors raised at the caller carry what went wrong and where."""

from __future__ import annotations

from shallot.routing import BuildError, RouteError


def test_route_error_carries_pattern_and_reason() -> None:
    error = RouteError("/a/<b", "unclosed '<'")
    assert isinstance(error, ValueError)
    assert (error.pattern, error.reason) == ("/a/<b", "unclosed '<'")
    assert str(error) == "'/a/<b': unclosed '<'"


def test_build_error_is_a_lookup_error() -> None:
    error = BuildError("'user'", "missing id")
    assert isinstance(error, LookupError)
    assert (error.endpoint, error.reason) == ("'user'", "missing id")
    assert str(error) == "cannot build a URL for 'user': missing id"
