"""XML bodies: namespaces, and 400 (never anything else) for malformed or hostile XML."""

from __future__ import annotations

import io

import pytest

from shallot.dav import DAVError
from shallot.dav.xml_parse import parse_body, parse_xml

HOSTILE = [
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    b"<lolz>&lol2;</lolz>",
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    b'<!DOCTYPE x SYSTEM "http://example.com/evil.dtd"><x/>',
    b'<!DOCTYPE x [<!ENTITY % p SYSTEM "http://example.com/p">%p;]><x/>',
    b"<x>&undefined;</x>",
]
MALFORMED = [
    b"<a><b></a>",
    b"not xml",
    b'<a xmlns:foo=""><foo:b/></a>',
    b"<p:a/>",
    b"\xff\xfe<\x00a\x00",
    b"<a/><b/>",
]


def test_namespaces_resolve_to_clark_names() -> None:
    root = parse_xml(b'<D:propfind xmlns:D="DAV:"><D:prop><x xmlns="urn:x"/></D:prop></D:propfind>')
    assert root.tag == "{DAV:}propfind"
    assert root[0][0].tag == "{urn:x}x"


@pytest.mark.parametrize("data", HOSTILE + MALFORMED)
def test_hostile_and_malformed_xml_is_a_400(data: bytes) -> None:
    with pytest.raises(DAVError) as raised:
        parse_xml(data)
    assert raised.value.status == 400


def test_bodies_by_size_and_emptiness() -> None:
    def env(body: bytes) -> dict[str, object]:
        return {"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}

    assert parse_body({"wsgi.input": io.BytesIO(b"")}, 100) is None
    assert parse_body(env(b"  \n "), 100) is None
    big = b"<a>" + b"x" * 200 + b"</a>"
    with pytest.raises(DAVError) as raised:
        parse_body(env(big), 100)
    assert raised.value.status == 413
    root = parse_body(env(big), 1000)
    assert root is not None
    assert root.tag == "a"
