"""Parsing route patterns, and every way a pattern can be refused at registration."""

from __future__ import annotations

import pytest

from shallot.routing import BUILTIN_FILTERS, Parameter, RouteError, parse_pattern
from shallot.routing.patterns import wsgi_path


def test_static_pattern() -> None:
    pattern = parse_pattern("/about/team", BUILTIN_FILTERS)
    assert pattern.is_static
    assert pattern.parts == ("/about/team",)
    assert pattern.parameters == ()
    assert pattern.regex is None


def test_groups_filters_and_order() -> None:
    pattern = parse_pattern("/user/<name>/<id:int>/x<ext:re:\\.(?:png|jpg)>", BUILTIN_FILTERS)
    assert not pattern.is_static
    assert pattern.names == ("name", "id", "ext")
    assert pattern.parts[0] == "/user/"
    name, id_, ext = pattern.parameters
    assert name == Parameter("name", BUILTIN_FILTERS["segment"])
    assert id_.filter is BUILTIN_FILTERS["int"]
    assert ext.filter.regex == "\\.(?:png|jpg)"
    assert pattern.regex is not None
    found = pattern.regex.fullmatch("/user/ann/7/x.png")
    assert found is not None
    assert found.group("name", "id", "ext") == ("ann", "7", ".png")
    assert pattern.regex.fullmatch("/user/ann/7/x.gif") is None
    assert pattern.regex.fullmatch("/user/a/b/7/x.png") is None


def test_inline_regex_may_hold_an_escaped_closing_bracket() -> None:
    pattern = parse_pattern("/cmp/<op:re:[<=\\>]+>/end", BUILTIN_FILTERS)
    assert pattern.parameters[0].filter.regex == "[<=\\>]+"
    assert pattern.parts[-1] == "/end"
    assert pattern.regex is not None
    assert pattern.regex.fullmatch("/cmp/>=/end")


def test_prefix_is_the_whole_leading_literal_segments() -> None:
    def prefix(text: str) -> tuple[str, ...]:
        return parse_pattern(text, BUILTIN_FILTERS).prefix

    assert prefix("/api/v1/users/<id:int>") == ("api", "v1", "users")
    assert prefix("/files-<name>") == ()
    assert prefix("/a/b<name>") == ("a",)
    assert prefix("/<lang>/about") == ()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("user/<id>", "must be a str starting with '/'"),
        ("", "must be a str starting with '/'"),
        ("/user/<id", "unclosed '<'"),
        ("/user/<id:int", "unclosed '<'"),
        ("/user/<id:re:[0-9]+", "unclosed '<'"),
        ("/user/<>", "invalid group name ''"),
        ("/user/<1st>", "invalid group name '1st'"),
        ("/user/<a b>", "invalid group name 'a b'"),
        ("/a/<id>/<id:int>", "group name 'id' used twice"),
        ("/a/<id:integer>", "unknown filter 'integer'"),
        ("/a/<id:re:>", "empty inline regex"),
        ("/a/<id:re:(>", "group 'id': invalid filter regex"),
        ("/a/<script_name>", "reserved for url_for"),
        ("/a/../<x>", "'.' and '..' segments never match"),
        ("/a/./b", "'.' and '..' segments never match"),
        ("/a/<x:re:a(?i)b>", "invalid filter regex"),
        ("/a/<x:re:(?i)b>", "the pattern does not compile"),
    ],
)
def test_refused_patterns(text: str, reason: str) -> None:
    with pytest.raises(RouteError) as raised:
        parse_pattern(text, BUILTIN_FILTERS)
    assert reason in raised.value.reason
    assert raised.value.pattern == text


def test_unknown_filter_lists_the_known_ones() -> None:
    with pytest.raises(RouteError) as raised:
        parse_pattern("/a/<id:nope>", BUILTIN_FILTERS)
    assert "known: float, hex, int, path, segment, uuid, word, re:<regex>" in raised.value.reason


def test_wsgi_path() -> None:
    assert wsgi_path("/plain") == "/plain"
    assert wsgi_path("/café") == "/caf\u00c3\u00a9"
