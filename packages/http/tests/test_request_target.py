"""The raw request-target some servers pass along, and malformed percent-encoding in it."""

from __future__ import annotations

import pytest

from shallot.http import asks_about_the_server, has_malformed_escape, raw_request_target


@pytest.mark.parametrize(
    ("environ", "target"),
    [
        ({"REQUEST_URI": "/a%2Fb?x=1"}, "/a%2Fb?x=1"),
        ({"RAW_URI": "/gunicorn"}, "/gunicorn"),
        ({"REQUEST_URI": "/first", "RAW_URI": "/second"}, "/first"),
        ({"REQUEST_URI": "", "RAW_URI": "/second"}, "/second"),
        ({"REQUEST_URI": b"/bytes"}, None),
        ({"PATH_INFO": "/wsgiref"}, None),
    ],
)
def test_raw_request_target(environ: dict[str, object], target: str | None) -> None:
    assert raw_request_target(environ) == target


@pytest.mark.parametrize(
    ("text", "malformed"),
    [
        ("/caf%C3%A9", False),
        ("/100%25", False),
        ("/a%2f", False),
        ("/%", True),
        ("/a%zz", True),
        ("/a%2", True),
        ("", False),
    ],
)
def test_has_malformed_escape(text: str, malformed: bool) -> None:
    assert has_malformed_escape(text) is malformed


@pytest.mark.parametrize(
    ("environ", "about_the_server"),
    [
        ({"REQUEST_METHOD": "OPTIONS", "PATH_INFO": "*"}, True),  # wsgiref
        ({"REQUEST_METHOD": "OPTIONS", "PATH_INFO": "/*", "REQUEST_URI": "*"}, True),  # cheroot
        ({"REQUEST_METHOD": "OPTIONS", "PATH_INFO": "/*", "RAW_URI": "*"}, True),  # gunicorn
        ({"REQUEST_METHOD": "OPTIONS", "PATH_INFO": "/*", "REQUEST_URI": "/*"}, False),
        ({"REQUEST_METHOD": "OPTIONS", "PATH_INFO": "/"}, False),
        ({"REQUEST_METHOD": "GET", "PATH_INFO": "*", "REQUEST_URI": "*"}, False),
    ],
)
def test_asks_about_the_server(environ: dict[str, str], about_the_server: bool) -> None:
    assert asks_about_the_server(environ) is about_the_server
