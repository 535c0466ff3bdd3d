"""Tests for shallot.http.exceptions: HTTPException, abort, redirect and the error builders."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

import pytest

from shallot.http.exceptions import (
    HTTPException,
    abort,
    bad_request,
    forbidden,
    http_error,
    internal_error,
    method_not_allowed,
    not_found,
    redirect,
    unauthorized,
)
from shallot.http.redirects import RedirectResponse
from shallot.http.response import Response
from shallot.testing import fetch, route_table

if TYPE_CHECKING:
    from collections.abc import Callable

    from shallot.testing import Serve


def test_from_status_code() -> None:
    error = HTTPException(404)
    assert error.status_code == 404
    assert error.message is None
    assert isinstance(error.response, Response)
    assert error.response.data == b"404 Not Found\n"
    assert error.response.content_type == "text/plain; charset=utf-8"
    assert error.response.headers["X-Content-Type-Options"] == "nosniff"
    assert str(error) == "404 Not Found"
    assert repr(error) == "HTTPException(404, None)"


def test_from_http_status() -> None:
    error = HTTPException(HTTPStatus.GONE, "moved away")
    assert type(error.status_code) is int
    assert str(error) == "410 Gone: moved away"
    assert http_error(HTTPStatus.TOO_MANY_REQUESTS).status_code == 429


def test_with_message() -> None:
    error = HTTPException(400, "field 'age' is not a number")
    assert error.message == "field 'age' is not a number"
    assert isinstance(error.response, Response)
    assert error.response.data == b"400 Bad Request\n\nfield 'age' is not a number\n"
    assert str(error) == "400 Bad Request: field 'age' is not a number"
    assert repr(error) == "HTTPException(400, \"field 'age' is not a number\")"


def test_with_headers() -> None:
    error = HTTPException(405, headers=[("Allow", "GET, HEAD")])
    assert error.response.headers["Allow"] == "GET, HEAD"


def test_from_response() -> None:
    response = Response(b"made", status_code=201)
    error = HTTPException(response)
    assert error.response is response
    assert error.status_code == 201
    assert error.message is None
    response.status_code = 202
    assert error.status_code == 202


def test_response_with_message_or_headers_is_refused() -> None:
    with pytest.raises(TypeError, match="go with a status code"):
        HTTPException(Response(), "message")
    with pytest.raises(TypeError, match="go with a status code"):
        HTTPException(Response(), headers={"X": "y"})


@pytest.mark.parametrize("code", [99, 600, -1])
def test_bad_status_code(code: int) -> None:
    with pytest.raises(ValueError, match="not an HTTP status code"):
        HTTPException(code)


def test_is_an_exception() -> None:
    with pytest.raises(HTTPException) as caught:
        raise HTTPException(409, "already exists")
    assert caught.value.status_code == 409
    assert caught.value.args == (409, "already exists")


def test_abort() -> None:
    with pytest.raises(HTTPException) as caught:
        abort(403)
    assert caught.value.status_code == 403
    with pytest.raises(HTTPException) as caught:
        abort(422, "bad field", [("X-Field", "age")])
    assert caught.value.response.headers["X-Field"] == "age"
    assert caught.value.message == "bad field"
    response = Response(b"teapot", status_code=418)
    with pytest.raises(HTTPException) as caught:
        abort(response)
    assert caught.value.response is response


def test_redirect() -> None:
    with pytest.raises(HTTPException) as caught:
        redirect("/login")
    assert isinstance(caught.value.response, RedirectResponse)
    assert caught.value.status_code == 302
    assert caught.value.response.headers["Location"] == "/login"
    with pytest.raises(HTTPException) as caught:
        redirect("/moved", 301)
    assert caught.value.status_code == 301
    with pytest.raises(ValueError, match="not a redirect status code"):
        redirect("/", 200)


@pytest.mark.parametrize(
    ("build", "code", "body"),
    [
        (bad_request, 400, b"400 Bad Request\n"),
        (forbidden, 403, b"403 Forbidden\n"),
        (not_found, 404, b"404 Not Found\n"),
        (internal_error, 500, b"500 Internal Server Error\n"),
        (unauthorized, 401, b"401 Unauthorized\n"),
    ],
)
def test_builders(build: Callable[[], Response], code: int, body: bytes) -> None:
    response = build()
    assert (response.status_code, response.data) == (code, body)
    assert response.content_type == "text/plain; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_builder_messages() -> None:
    assert bad_request("no name").data == b"400 Bad Request\n\nno name\n"
    assert forbidden("read-only").data == b"403 Forbidden\n\nread-only\n"
    assert not_found("no such page").data == b"404 Not Found\n\nno such page\n"
    assert unauthorized(message="log in").data == b"401 Unauthorized\n\nlog in\n"
    assert method_not_allowed(["GET"], "read-only").data.endswith(b"\n\nread-only\n")
    assert http_error(503, "maintenance").data == b"503 Service Unavailable\n\nmaintenance\n"


def test_unauthorized_challenges() -> None:
    assert unauthorized().headers.getall("WWW-Authenticate") == []
    assert unauthorized('Basic realm="files"').headers.getall("WWW-Authenticate") == [
        'Basic realm="files"'
    ]
    both = unauthorized(['Digest realm="x", nonce="n"', 'Basic realm="x"'])
    assert both.headers.getall("WWW-Authenticate") == [
        'Digest realm="x", nonce="n"',
        'Basic realm="x"',
    ]
    with pytest.raises(ValueError, match="invalid character"):
        unauthorized("Basic\r\nSet-Cookie: a=1")


def test_method_not_allowed_sorts_and_deduplicates() -> None:
    response = method_not_allowed(["PUT", "GET", "HEAD", "GET", "PROPFIND"])
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, PROPFIND, PUT"
    assert method_not_allowed(iter(("POST",))).headers["Allow"] == "POST"
    assert method_not_allowed("OPTIONS").headers["Allow"] == "OPTIONS"
    assert method_not_allowed([]).headers["Allow"] == ""


def test_http_error() -> None:
    assert http_error(400).status_code == 400
    assert http_error(599).data == b"599 Unknown Status\n"
    for code in (399, 600, 200, 302):
        with pytest.raises(ValueError, match="not an HTTP error status code"):
            http_error(code)
    with pytest.raises(ValueError, match="not an HTTP error status code"):
        http_error("404")  # type: ignore[arg-type]  # the check under test


def test_served_errors(serve: Serve) -> None:
    base = serve(
        route_table(
            {
                "/html": lambda: HTTPException(400, "<script>alert(1)</script>").response,
                "/allow": lambda: method_not_allowed(["POST", "GET"]),
                "/auth": lambda: unauthorized(['Basic realm="a"', 'Bearer realm="b"']),
                "/unicode": lambda: not_found("žádná stránka"),
                "/internal": internal_error,
            }
        )
    )
    reply = fetch(base, "/html")
    assert (reply.status, reply.reason) == (400, "Bad Request")
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.body == b"400 Bad Request\n\n<script>alert(1)</script>\n"
    assert reply.headers["Content-Length"] == str(len(reply.body))

    reply = fetch(base, "/allow")
    assert (reply.status, reply.reason, reply.headers["Allow"]) == (
        405,
        "Method Not Allowed",
        "GET, POST",
    )

    reply = fetch(base, "/auth")
    assert reply.status == 401
    assert reply.headers.get_all("WWW-Authenticate") == ['Basic realm="a"', 'Bearer realm="b"']

    assert fetch(base, "/unicode").body == "404 Not Found\n\nžádná stránka\n".encode()

    reply = fetch(base, "/internal")
    assert (reply.status, reply.body) == (500, b"500 Internal Server Error\n")
