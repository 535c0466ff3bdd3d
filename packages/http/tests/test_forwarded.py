"""Tests for shallot.http.forwarded: RFC 7239 Forwarded and X-Forwarded-* parsing."""

from __future__ import annotations

import ipaddress

import pytest

from shallot.http.forwarded import (
    ForwardedElement,
    ForwardedInfo,
    ForwardedNode,
    forwarded_info,
    parse_forwarded,
    parse_forwarded_host,
    parse_forwarded_port,
    parse_forwarded_proto,
    parse_x_forwarded_for,
    x_forwarded_address,
)


def test_rfc_7239_examples() -> None:
    assert parse_forwarded('for="_gazonk"') == [ForwardedElement(for_=ForwardedNode("_gazonk"))]
    assert parse_forwarded('For="[2001:db8:cafe::17]:4711"') == [
        ForwardedElement(for_=ForwardedNode("2001:db8:cafe::17", "4711"))
    ]
    assert parse_forwarded("for=192.0.2.60;proto=http;by=203.0.113.43") == [
        ForwardedElement(
            for_=ForwardedNode("192.0.2.60"), by=ForwardedNode("203.0.113.43"), proto="http"
        )
    ]
    assert parse_forwarded("for=192.0.2.43, for=198.51.100.17") == [
        ForwardedElement(for_=ForwardedNode("192.0.2.43")),
        ForwardedElement(for_=ForwardedNode("198.51.100.17")),
    ]


def test_host_proto_and_extensions() -> None:
    [element] = parse_forwarded('host="example.com:8080";PROTO=HTTPS;secret="x;y,z";ext=1')
    assert element.host == "example.com:8080"
    assert element.proto == "https"
    assert element.extensions == (("secret", "x;y,z"), ("ext", "1"))
    assert element.for_ is None
    assert element.by is None


def test_quoted_values_with_separators_and_escapes() -> None:
    elements = parse_forwarded(r'for="_a\"b";host="x,y", for=unknown')
    assert len(elements) == 1
    assert elements[0].for_ == ForwardedNode("unknown")


def test_nodes() -> None:
    [element] = parse_forwarded('for="_hidden:_port";by="UNKNOWN:80"')
    assert element.for_ == ForwardedNode("_hidden", "_port")
    assert element.for_.is_obfuscated
    assert element.for_.ip is None
    assert element.by == ForwardedNode("unknown", "80")
    assert element.by.is_unknown
    assert not element.by.is_obfuscated
    assert element.by.ip is None


def test_node_ip_and_str() -> None:
    v4 = ForwardedNode("192.0.2.1", "8080")
    v6 = ForwardedNode("2001:db8::1", "443")
    assert v4.ip == ipaddress.IPv4Address("192.0.2.1")
    assert v6.ip == ipaddress.IPv6Address("2001:db8::1")
    assert not v4.is_unknown
    assert str(v4) == "192.0.2.1:8080"
    assert str(v6) == "[2001:db8::1]:443"
    assert str(ForwardedNode("_x")) == "_x"
    assert ForwardedNode("not an ip").ip is None


def test_whitespace_and_empty_elements_are_tolerated() -> None:
    elements = parse_forwarded(" , for=192.0.2.1 ;  proto=http ,, ;, for=192.0.2.2,")
    assert [element.for_ for element in elements] == [
        ForwardedNode("192.0.2.1"),
        ForwardedNode("192.0.2.2"),
    ]


@pytest.mark.parametrize(
    "element",
    [
        "for",
        "for=",
        "=x",
        'for=""',
        "for=2001:db8::1",
        'for="2001:db8::1"',
        'for="[2001:db8::1"',
        'for="[not:an:ip:::x]"',
        'for="[2001:db8::1]x"',
        'for="[2001:db8::1]:"',
        "for=999.1.1.1",
        "for=_",
        "for=_bad!char",
        "for=example.com",
        'for="192.0.2.1:123456"',
        'for="192.0.2.1:port"',
        'for="192.0.2.1:-1"',
        "by=nope",
        "for=192.0.2.1;for=192.0.2.2",
        "for=192.0.2.1;FOR=192.0.2.2",
        "proto=1http",
        "proto=ht_tp",
        'proto=""',
        'host="a b"',
        'host="x\x01"',
        "host=",
        "bad name=1",
        "for=192.0.2.1 x",
        'for="unterminated',
        'for="a"b"',
        "for=\x00",
        "ünïcode=1",
    ],
)
def test_malformed_elements_are_skipped(element: str) -> None:
    header = f"for=192.0.2.1, {element}, for=192.0.2.3"
    nodes = [e.for_ for e in parse_forwarded(header) if e.for_ is not None]
    expected_last = [] if element.count('"') % 2 else [ForwardedNode("192.0.2.3")]
    assert nodes == [ForwardedNode("192.0.2.1"), *expected_last]


def test_an_unterminated_quote_swallows_the_rest_of_the_header() -> None:
    elements = parse_forwarded('for=192.0.2.1, for="escaped end\\", for=192.0.2.3')
    assert elements == [ForwardedElement(for_=ForwardedNode("192.0.2.1"))]


@pytest.mark.parametrize(
    "header",
    ["", ",", ";", '"', "\\", '"""', "for=\\", ";;;=;;", "," * 10_000, '"' * 9_999, "=" * 5000],
)
def test_garbage_never_raises(header: str) -> None:
    assert parse_forwarded(header) == []


def test_x_forwarded_for() -> None:
    assert parse_x_forwarded_for(" 203.0.113.1 ,, 198.51.100.2,unknown , ") == [
        "203.0.113.1",
        "198.51.100.2",
        "unknown",
    ]
    assert parse_x_forwarded_for("") == []


def test_info_from_forwarded_header() -> None:
    environ = {
        "HTTP_FORWARDED": (
            'for=192.0.2.60;host=first.example;proto=https, for="[2001:db8::1]";'
            "host=second.example;proto=http, by=203.0.113.1"
        ),
        "HTTP_X_FORWARDED_FOR": "10.0.0.1",
        "HTTP_X_FORWARDED_HOST": "ignored.example",
    }
    assert forwarded_info(environ) == ForwardedInfo(
        ("192.0.2.60", "2001:db8::1"), "first.example", "https"
    )


def test_info_forwarded_wins_even_when_it_says_little() -> None:
    environ = {"HTTP_FORWARDED": "garbage", "HTTP_X_FORWARDED_FOR": "10.0.0.1"}
    assert forwarded_info(environ) == ForwardedInfo()


def test_info_from_x_forwarded_headers() -> None:
    environ = {
        "HTTP_FORWARDED": "  ",
        "HTTP_X_FORWARDED_FOR": "203.0.113.7, 10.0.0.1",
        "HTTP_X_FORWARDED_HOST": " , app.example, proxy.internal",
        "HTTP_X_FORWARDED_PROTO": "HTTPS, http",
    }
    assert forwarded_info(environ) == ForwardedInfo(
        ("203.0.113.7", "10.0.0.1"), "app.example", "https"
    )


@pytest.mark.parametrize("proto", ["", " , ", "1http", "ht tp", "https:"])
def test_info_ignores_invalid_x_forwarded_proto(proto: str) -> None:
    assert forwarded_info({"HTTP_X_FORWARDED_PROTO": proto}).proto is None


def test_info_without_headers() -> None:
    assert forwarded_info({}) == ForwardedInfo((), None, None)
    assert forwarded_info({"HTTP_X_FORWARDED_HOST": " , "}).host is None


@pytest.mark.parametrize(
    ("entry", "address"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("192.0.2.1:8080", "192.0.2.1"),
        ("2001:DB8::1", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1", None),
        ("unknown", None),
        ("_hidden", None),
        ("", None),
        ("192.0.2.1:80:80", None),
        ("999.0.0.1", None),
    ],
)
def test_x_forwarded_address(entry: str, address: str | None) -> None:
    assert x_forwarded_address(entry) == address


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("files.example", ("files.example", None)),
        ("files.example:8443", ("files.example", "8443")),
        ("[2001:db8::1]", ("[2001:db8::1]", None)),
        ("[2001:db8::1]:80", ("[2001:db8::1]", "80")),
        ("evil.example/path", None),
        ("a b", None),
        ("[not-ipv6]", None),
        ("[::1]x", None),
        ("a:99999", None),
        ("a:port", None),
        (":80", None),
    ],
)
def test_parse_forwarded_host(value: str, parsed: tuple[str, str | None] | None) -> None:
    assert parse_forwarded_host(value) == parsed


@pytest.mark.parametrize(
    ("value", "port"),
    [("443", "443"), ("65535", "65535"), ("0", None), ("65536", None), ("", None), ("8a", None)],
)
def test_parse_forwarded_port(value: str, port: str | None) -> None:
    assert parse_forwarded_port(value) == port


@pytest.mark.parametrize(
    ("value", "scheme"),
    [("https", "https"), ("HTTP", "http"), ("javascript", None), ("ftp", None), ("", None)],
)
def test_parse_forwarded_proto(value: str, scheme: str | None) -> None:
    assert parse_forwarded_proto(value) == scheme
