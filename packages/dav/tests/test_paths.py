"""Resource paths: decoding, every refusal with a 400, and quoting to canonical URLs."""

from __future__ import annotations

import pytest

from shallot.dav import DAVError
from shallot.dav.paths import (
    decode_path,
    decode_request_path,
    href_text,
    join_path,
    parent_path,
    path_name,
    quote_path,
    url_to_path,
)
from shallot.locks import normalize_url
from shallot.props import normalize_url as normalize_property_url


def wsgi(path: str) -> str:
    """``path`` as a WSGI server hands it: UTF-8 bytes decoded as latin-1."""
    return path.encode("utf-8").decode("latin-1")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "/"),
        ("/", "/"),
        ("//a///b/", "/a/b"),
        (wsgi("/café/naïve.txt"), "/café/naïve.txt"),
        ("/%2e%2e", "/%2e%2e"),
        ("/ab:c/d@e", "/ab:c/d@e"),
        ("/a/%00", "/a/%00"),
        ("/...", "/..."),
        ("/CONSOLE", "/CONSOLE"),
    ],
)
def test_decoding(raw: str, expected: str) -> None:
    assert decode_path(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "/a/../b",
        "/..",
        "/./a",
        "/a\x00b",
        "/a\\..\\b",
        "/c:/windows",
        "/C:",
        "/CON",
        "/nul.txt",
        "/com1",
        "/LPT9.log",
        "/aux ",
        "relative",
        "/tab\there",
        "/\xff\xfe",
    ],
)
def test_refusals(raw: str) -> None:
    with pytest.raises(DAVError) as raised:
        decode_path(raw)
    assert raised.value.status == 400


def test_urls_from_headers() -> None:
    assert url_to_path("/caf%C3%A9/%2Fslash") == "/café/slash"
    for bad in ("/%2e%2e/x", "/%ff", "/a/%00", "/%", "/a%zz", "/a%2"):
        with pytest.raises(DAVError) as raised:
            url_to_path(bad)
        assert raised.value.status == 400


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"PATH_INFO": "/caf\xc3\xa9", "REQUEST_URI": "/caf%C3%A9"}, "/café"),
        ({"PATH_INFO": "/100%", "REQUEST_URI": "/100%25?q=%"}, "/100%"),
        ({"PATH_INFO": "/a%2Fb", "REQUEST_URI": "/a%252Fb"}, "/a%2Fb"),  # a literal '%2F'
        ({"PATH_INFO": "/a%zz"}, "/a%zz"),  # no raw URI to tell: taken as it is
        ({}, "/"),
    ],
)
def test_request_paths(environ: dict[str, str], expected: str) -> None:
    assert decode_request_path(environ) == expected


@pytest.mark.parametrize(
    "environ",
    [
        {"PATH_INFO": "/a%zz", "REQUEST_URI": "/a%zz"},
        {"PATH_INFO": "/%", "RAW_URI": "/%"},
        {"PATH_INFO": "/a%2Fb", "REQUEST_URI": "/a%2fb"},
    ],
)
def test_a_malformed_escape_or_encoded_slash_in_the_raw_uri_is_400(
    environ: dict[str, str],
) -> None:
    """A server leaves both in ``PATH_INFO`` as they came; the raw URI tells."""
    with pytest.raises(DAVError) as raised:
        decode_request_path(environ)
    assert raised.value.status == 400


@pytest.mark.parametrize(
    "path", ["/plain.txt", "/a b/c&d", "/café", "/~user/(1)+x=y;z", "/#?%", "/"]
)
def test_quoting_gives_the_canonical_lock_and_property_url(path: str) -> None:
    url = quote_path(path)
    assert url == normalize_url(url) or path == "/"
    assert url == normalize_property_url(url)
    assert url_to_path(url) == path
    assert "&amp;" in href_text(quote_path("/a&b"))


def test_path_helpers() -> None:
    assert join_path("/", "a") == "/a"
    assert join_path("/a", "b") == "/a/b"
    assert parent_path("/a/b") == "/a"
    assert parent_path("/a") == "/"
    assert path_name("/a/b") == "b"
    assert path_name("/") == ""
