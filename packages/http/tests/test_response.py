"""Tests for shallot.http.response: Response, NoContentResponse, NotModifiedResponse."""

from __future__ import annotations

import email.parser
import email.policy
from http import HTTPStatus
from typing import TYPE_CHECKING
from wsgiref.util import setup_testing_defaults

import pytest

from shallot.http.cookies import HTTPCookie
from shallot.http.ranges import parse_range
from shallot.http.response import (
    CHECKED_CONTENT_TYPES,
    DEFAULT_CONTENT_TYPE,
    NoContentResponse,
    NotModifiedResponse,
    Response,
)
from shallot.testing import fetch, route_table

if TYPE_CHECKING:
    from collections.abc import Callable

    from shallot.testing import Serve


def byteranges(content_type: str, body: bytes) -> list[tuple[str, str, bytes]]:
    """The parts of a multipart/byteranges body: (Content-Type, Content-Range, data)."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert message.get_content_type() == "multipart/byteranges"
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts.append((str(part["Content-Type"]), str(part["Content-Range"]), payload))
    return parts


# Pure behaviour


@pytest.mark.parametrize("code", [99, 600, 0, -200])
def test_status_code_out_of_range(code: int) -> None:
    with pytest.raises(ValueError, match="not an HTTP status code"):
        Response(status_code=code)
    response = Response()
    with pytest.raises(ValueError, match="not an HTTP status code"):
        response.status_code = code
    assert response.status_code == 200


@pytest.mark.parametrize("code", ["200", 200.0, True, None])
def test_status_code_must_be_int(code: object) -> None:
    with pytest.raises(ValueError, match="not an HTTP status code"):
        Response(status_code=code)  # type: ignore[arg-type]  # the check under test


def test_status_code_int_subclass_is_stored_as_int() -> None:
    response = Response(status_code=HTTPStatus.CREATED)
    assert type(response.status_code) is int
    assert (response.status_code, response.status) == (201, "201 Created")


def test_status_line() -> None:
    response = Response(status_code=201)
    assert response.status == "201 Created"
    response.status_code = 599
    assert (response.status_code, response.status) == (599, "599 Unknown Status")


def test_defaults() -> None:
    response = Response()
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    assert response.charset == "utf-8"
    assert response.data == b""
    assert response.content_length == 0
    assert response.headers.items() == [("Content-Type", "text/html; charset=utf-8")]


def test_str_is_encoded_with_the_charset_of_the_content_type() -> None:
    assert Response("café").data == "café".encode()
    assert Response("café", "text/plain; charset=ISO-8859-1").data == b"caf\xe9"
    assert Response("café", 'text/plain; Charset="latin-1"').data == b"caf\xe9"
    assert Response("café", "application/octet-stream").data == "café".encode()
    assert Response("café", None).data == "café".encode()


def test_charset_from_headers_wins() -> None:
    response = Response("é", "text/plain", [("Content-Type", "text/plain; charset=latin-1")])
    assert response.data == b"\xe9"
    assert response.headers.getall("Content-Type") == ["text/plain; charset=latin-1"]
    assert response.charset == "latin-1"


def test_unknown_charset() -> None:
    with pytest.raises(ValueError, match="unknown charset 'klingon'"):
        Response("x", "text/plain; charset=klingon")
    assert Response(b"x", "text/plain; charset=klingon").data == b"x"


def test_unencodable_text() -> None:
    with pytest.raises(ValueError, match="latin-1"):
        Response("\u20ac", "text/plain; charset=latin-1")


def test_checked_content_types_remember_each_type_with_its_charset() -> None:
    assert CHECKED_CONTENT_TYPES[DEFAULT_CONTENT_TYPE] == "utf-8"
    assert "text/x-checked; charset=latin-1" not in CHECKED_CONTENT_TYPES
    Response("a", "text/x-checked; charset=latin-1")
    assert CHECKED_CONTENT_TYPES["text/x-checked; charset=latin-1"] == "latin-1"
    Response(b"x", "text/x-checked; charset=klingon")  # a valid value, no codec: None
    assert CHECKED_CONTENT_TYPES["text/x-checked; charset=klingon"] is None
    with pytest.raises(ValueError, match="Content-Type"):
        Response("x", "text/plain\r\nX-Injected: yes")
    assert "text/plain\r\nX-Injected: yes" not in CHECKED_CONTENT_TYPES


def test_data_must_be_str_or_bytes() -> None:
    with pytest.raises(TypeError, match="must be str or bytes, not int"):
        Response(42)  # type: ignore[arg-type]  # the check under test
    with pytest.raises(TypeError, match="must be str or bytes, not list"):
        Response().write([b"x"])  # type: ignore[arg-type]  # the check under test


def test_write_appends() -> None:
    response = Response("a", "text/plain; charset=latin-1")
    response.write(b"b")
    response.write("\xe9")
    assert response.data == b"ab\xe9"
    assert response.content_length == 3
    response.write(b"!")
    assert response.data == b"ab\xe9!"


def test_content_type_property() -> None:
    response = Response(content_type="text/plain")
    response.content_type = "application/xml"
    assert response.headers.getall("content-type") == ["application/xml"]
    response.content_type = None
    assert response.content_type is None
    assert "Content-Type" not in response.headers
    response.content_type = None
    assert Response(content_type=None).content_type is None


def test_cookies_become_set_cookie_fields() -> None:
    response = Response()
    response.set_cookie(HTTPCookie("a", "1"))
    response.set_cookie(HTTPCookie("b", "2", secure=True))
    response.delete_cookie("old", path="/app")
    assert response.headers.getall("Set-Cookie") == [
        "a=1; Path=/; HttpOnly; SameSite=Lax",
        "b=2; Path=/; Secure; HttpOnly; SameSite=Lax",
        HTTPCookie.delete("old", path="/app").render(),
    ]


def test_header_injection_through_the_constructor() -> None:
    with pytest.raises(ValueError, match="invalid character"):
        Response(headers={"X-Next": "a\r\nSet-Cookie: admin=1"})
    with pytest.raises(ValueError, match="invalid character"):
        Response(content_type="text/html\r\nX: y")


@pytest.mark.parametrize("code", [100, 101, 103])
def test_informational_statuses_carry_no_content(code: int) -> None:
    environ: dict[str, object] = {}
    setup_testing_defaults(environ)
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], object]:
        started.append((status, headers))
        return lambda data: None

    response = Response(b"ignored", "text/plain", {"X": "y"}, code)
    assert list(response(environ, start_response)) == []
    assert started == [(response.status, [("X", "y")])]


def test_no_content_and_not_modified_status() -> None:
    assert NoContentResponse().status_code == 204
    assert NotModifiedResponse().status_code == 304
    assert NoContentResponse().content_type is None


# Served through a real server


def test_served_response(serve: Serve) -> None:
    def text() -> Response:
        response = Response("héllo", "text/plain; charset=utf-8", {"X-Frame-Options": "DENY"})
        response.set_cookie(HTTPCookie("a", "1"))
        response.set_cookie(HTTPCookie("b", "2"))
        response.delete_cookie("c")
        return response

    def written() -> Response:
        response = Response(b"one", headers=[("Content-Length", "999")])
        response.write("two")
        response.write(b"")
        return response

    base = serve(
        route_table(
            {
                "/text": text,
                "/written": written,
                "/empty": lambda: Response(),
                "/created": lambda: Response(b"made", "text/plain", status_code=201),
                "/latin1": lambda: Response("café", "text/plain; charset=latin-1"),
                "/teapot": lambda: Response(b"", "text/plain", status_code=418),
            }
        )
    )
    reply = fetch(base, "/text")
    assert (reply.status, reply.reason) == (200, "OK")
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert reply.headers.get_all("Content-Length") == ["6"]
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert reply.headers.get_all("Set-Cookie") == [
        "a=1; Path=/; HttpOnly; SameSite=Lax",
        "b=2; Path=/; HttpOnly; SameSite=Lax",
        HTTPCookie.delete("c").render(),
    ]
    assert reply.body == "héllo".encode()

    reply = fetch(base, "/written")
    assert reply.headers.get_all("Content-Length") == ["6"]
    assert reply.body == b"onetwo"

    reply = fetch(base, "/empty")
    assert (reply.status, reply.headers["Content-Length"], reply.body) == (200, "0", b"")

    reply = fetch(base, "/created")
    assert (reply.status, reply.reason, reply.body) == (201, "Created", b"made")

    assert fetch(base, "/latin1").body == b"caf\xe9"

    reply = fetch(base, "/teapot")
    assert (reply.status, reply.reason) == (418, "Unknown Status")


def test_served_head_and_bodiless_statuses(serve: Serve) -> None:
    sent: dict[str, list[tuple[str, str]]] = {}

    def not_modified() -> NotModifiedResponse:
        full = Response(b"body", "text/html")
        for name, value in [
            ("ETag", '"v1"'),
            ("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"),
            ("Cache-Control", "max-age=60"),
            ("Vary", "Accept"),
            ("Content-Location", "/doc"),
            ("Expires", "Sun, 06 Nov 1994 09:49:37 GMT"),
            ("Date", "Sun, 06 Nov 1994 08:50:00 GMT"),
            ("Content-Encoding", "gzip"),
            ("Content-Language", "en"),
            ("X-Custom", "dropped"),
            ("Set-Cookie", "session=abc; Path=/"),
        ]:
            full.headers.add(name, value)
        return NotModifiedResponse(full.headers)

    base = serve(
        route_table(
            {
                "/text": lambda: Response(b"hello", "text/plain"),
                "/no-content": lambda: NoContentResponse({"Content-Type": "text/plain", "X": "y"}),
                "/plain-204": lambda: Response(b"ignored", "text/plain", status_code=204),
                "/plain-304": lambda: Response(b"ignored", "text/plain", status_code=304),
                "/not-modified": not_modified,
            },
            sent,
        )
    )
    reply = fetch(base, "/text", "HEAD")
    assert (reply.status, reply.headers["Content-Length"], reply.body) == (200, "5", b"")
    assert reply.headers["Content-Type"] == "text/plain"

    for path in ("/no-content", "/plain-204"):
        reply = fetch(base, path)
        assert (reply.status, reply.reason, reply.body) == (204, "No Content", b"")
        assert "Content-Type" not in reply.headers
    assert sent["/no-content"] == [("X", "y")]
    assert sent["/plain-204"] == []

    reply = fetch(base, "/plain-304")
    assert (reply.status, reply.body) == (304, b"")
    assert "Content-Type" not in reply.headers
    assert sent["/plain-304"] == []

    reply = fetch(base, "/not-modified")
    assert (reply.status, reply.reason, reply.body) == (304, "Not Modified", b"")
    assert {name.lower() for name, _ in sent["/not-modified"]} == {
        "date",
        "etag",
        "last-modified",
        "cache-control",
        "vary",
        "content-location",
        "expires",
        "set-cookie",
    }
    assert reply.headers["Date"] == "Sun, 06 Nov 1994 08:50:00 GMT"
    assert reply.headers["Set-Cookie"] == "session=abc; Path=/"


def test_served_partial(serve: Serve) -> None:
    body = bytes(range(100))

    def partial() -> Response:
        response = Response(body, "application/octet-stream")
        response.headers["ETag"] = '"v1"'
        response.headers["Last-Modified"] = "Sun, 06 Nov 1994 08:49:37 GMT"
        response.make_partial()
        return response

    def given(spec: str) -> Callable[[], Response]:
        def build() -> Response:
            response = Response(body, "application/octet-stream")
            response.make_partial(parse_range(spec))
            return response

        return build

    def not_found() -> Response:
        response = Response(b"missing", "text/plain", status_code=404)
        response.make_partial()
        return response

    base = serve(
        route_table(
            {
                "/": partial,
                "/given": given("bytes=-10"),
                "/given-unsatisfiable": given("bytes=200-"),
                "/given-several": given("bytes=0-1,5-6"),
                "/not-found": not_found,
            }
        )
    )

    reply = fetch(base, "/")
    assert (reply.status, reply.body) == (200, body)
    assert reply.headers["Accept-Ranges"] == "bytes"

    reply = fetch(base, "/", headers={"Range": "bytes=10-19"})
    assert (reply.status, reply.reason) == (206, "Partial Content")
    assert reply.headers["Content-Range"] == "bytes 10-19/100"
    assert reply.headers["Content-Length"] == "10"
    assert reply.headers["Content-Type"] == "application/octet-stream"
    assert reply.body == body[10:20]

    reply = fetch(base, "/", headers={"Range": "bytes=-5"})
    assert (reply.status, reply.body) == (206, body[95:])
    assert reply.headers["Content-Range"] == "bytes 95-99/100"

    reply = fetch(base, "/", headers={"Range": "bytes=0-1, 50-, 98-120"})
    assert reply.status == 206
    content_type = reply.headers["Content-Type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    assert reply.headers["Content-Length"] == str(len(reply.body))
    assert byteranges(content_type, reply.body) == [
        ("application/octet-stream", "bytes 0-1/100", body[:2]),
        ("application/octet-stream", "bytes 50-99/100", body[50:]),
    ]
    other = fetch(base, "/", headers={"Range": "bytes=0-1, 50-"}).headers["Content-Type"]
    assert other != content_type

    reply = fetch(base, "/", headers={"Range": "bytes=100-"})
    assert (reply.status, reply.reason) == (416, "Range Not Satisfiable")
    assert reply.headers["Content-Range"] == "bytes */100"
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert reply.body == b"416 Range Not Satisfiable\n"

    for invalid in ("bytes=5-1", "bytes=x-y", "items=0-1", "bytes=", "bytes=1-2-3"):
        reply = fetch(base, "/", headers={"Range": invalid})
        assert (reply.status, reply.body) == (200, body), invalid

    reply = fetch(base, "/", "POST", headers={"Range": "bytes=0-1"})
    assert (reply.status, reply.body) == (200, body)
    reply = fetch(base, "/", "HEAD", headers={"Range": "bytes=0-1"})
    assert (reply.status, reply.headers["Content-Length"], reply.body) == (200, "100", b"")

    ranged = {"Range": "bytes=0-1"}
    assert fetch(base, "/", headers={**ranged, "If-Range": '"v1"'}).status == 206
    assert fetch(base, "/", headers={**ranged, "If-Range": '"v2"'}).status == 200
    assert fetch(base, "/", headers={**ranged, "If-Range": 'W/"v1"'}).status == 200
    matching_date = "Sun, 06 Nov 1994 08:49:37 GMT"
    assert fetch(base, "/", headers={**ranged, "If-Range": matching_date}).status == 206
    later_date = "Sun, 06 Nov 1994 08:49:38 GMT"
    assert fetch(base, "/", headers={**ranged, "If-Range": later_date}).status == 200

    reply = fetch(base, "/given")
    assert (reply.status, reply.body) == (206, body[90:])
    reply = fetch(base, "/given", "HEAD")
    assert (reply.status, reply.headers["Content-Length"], reply.body) == (206, "10", b"")
    reply = fetch(base, "/given-unsatisfiable", "HEAD")
    assert (reply.status, reply.headers["Content-Range"], reply.body) == (416, "bytes */100", b"")
    reply = fetch(base, "/given-several")
    assert reply.status == 206
    assert reply.headers["Content-Type"].startswith("multipart/byteranges")
    reply = fetch(base, "/given-several", "HEAD")
    assert (reply.status, reply.body) == (206, b"")
    assert int(reply.headers["Content-Length"]) > 4

    reply = fetch(base, "/not-found", headers={"Range": "bytes=0-1"})
    assert (reply.status, reply.body) == (404, b"missing")


def test_response_can_be_sent_twice(serve: Serve) -> None:
    response = Response(b"again", "text/plain")
    response.make_partial()
    base = serve(route_table({"/": lambda: response}))
    assert fetch(base).body == b"again"
    assert fetch(base, headers={"Range": "bytes=0-1"}).body == b"ag"
    assert fetch(base).body == b"again"
