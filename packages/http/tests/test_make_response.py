"""Tests for shallot.http.make_response: PoorWSGI's coercion of handler return values."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.http.json_responses import JSONResponse
from shallot.http.make_response import ResponseValue, make_response
from shallot.http.response import NoContentResponse, Response
from shallot.http.streaming import GeneratorResponse
from shallot.testing import fetch, route_table

if TYPE_CHECKING:
    from collections.abc import Iterator

    from shallot.testing import Serve


def test_text_and_bytes() -> None:
    response = make_response("héllo")
    assert type(response) is Response
    assert (response.status_code, response.content_type) == (200, "text/html; charset=utf-8")
    assert response.data == "héllo".encode()
    assert make_response(b"\x00\x01").data == b"\x00\x01"
    response = make_response("é", "text/plain; charset=latin-1", {"X": "y"}, 202)
    assert (response.data, response.status_code, response.headers["X"]) == (b"\xe9", 202, "y")
    assert response.content_type == "text/plain; charset=latin-1"


def test_json() -> None:
    response = make_response({"a": [1, None]})
    assert type(response) is JSONResponse
    assert response.data == b'{"a":[1,null]}'
    assert response.content_type == "application/json; charset=utf-8"
    listed = make_response([1, "two"], headers={"X": "y"}, status_code=201)
    assert (listed.data, listed.status_code, listed.headers["X"]) == (b'[1,"two"]', 201, "y")
    problem = make_response({"title": "gone"}, "application/problem+json", status_code=410)
    assert problem.content_type == "application/problem+json"
    assert problem.headers.getall("Content-Type") == ["application/problem+json"]


def test_none() -> None:
    for status in (None, 200, 204):
        response = make_response(None, status_code=status)
        assert type(response) is NoContentResponse
        assert response.status_code == 204
    assert make_response(None, headers={"X": "y"}).headers["X"] == "y"
    created = make_response(None, status_code=201, headers={"Location": "/items/1"})
    assert type(created) is Response
    assert (created.status_code, created.data, created.headers["Location"]) == (
        201,
        b"",
        "/items/1",
    )
    assert created.content_type == "text/plain; charset=utf-8"
    assert make_response(None, "application/json", status_code=202).content_type == (
        "application/json"
    )


def test_iterators() -> None:
    def pieces() -> Iterator[bytes]:
        yield b"a"

    response = make_response(pieces())
    assert type(response) is GeneratorResponse
    assert response.content_type == "text/html; charset=utf-8"
    mapped = make_response(map(bytes, [[65]]), "text/plain", status_code=203)
    assert type(mapped) is GeneratorResponse
    assert (mapped.content_type, mapped.status_code) == ("text/plain", 203)


def test_response_is_returned_as_is_with_overrides() -> None:
    response = Response(b"x", "text/plain", [("Vary", "Accept"), ("X", "old")])
    assert make_response(response) is response
    assert response.headers.items() == [
        ("Vary", "Accept"),
        ("X", "old"),
        ("Content-Type", "text/plain"),
    ]
    same = make_response(response, "text/csv", {"X": "new"}, 201)
    assert same is response
    assert response.headers.items() == [
        ("Vary", "Accept"),
        ("Content-Type", "text/csv"),
        ("X", "new"),
    ]
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (("text",), ("text/html; charset=utf-8", 200, None)),
        (("text", "text/plain"), ("text/plain", 200, None)),
        (("text", "text/plain", {"X": "y"}), ("text/plain", 200, "y")),
        (("text", "text/plain", [("X", "y")], 404), ("text/plain", 404, "y")),
        (("text", None, None, 404), ("text/html; charset=utf-8", 404, None)),
    ],
)
def test_tuples(value: ResponseValue, expected: tuple[str, int, str | None]) -> None:
    response = make_response(value)
    assert type(response) is Response
    assert response.data == b"text"
    assert (response.content_type, response.status_code, response.headers.get("X")) == expected


def test_tuple_with_other_data() -> None:
    assert type(make_response(({"a": 1}, None, None, 201))) is JSONResponse
    assert make_response(({"a": 1}, None, None, 201)).status_code == 201
    assert type(make_response((None,))) is NoContentResponse
    response = Response(b"r")
    assert make_response((response, "text/plain")) is response
    assert response.content_type == "text/plain"


def test_explicit_arguments_win_over_the_tuple() -> None:
    response = make_response(
        ("x", "text/plain", {"X": "tuple"}, 201), "text/csv", {"X": "arg"}, 202
    )
    assert (response.content_type, response.headers["X"], response.status_code) == (
        "text/csv",
        "arg",
        202,
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ((), "1 to 4 elements, not 0"),
        (("a", None, None, 200, "extra"), "1 to 4 elements, not 5"),
        ((("nested",),), "cannot itself be a tuple"),
        (("text", 404), "content type must be str, not int"),
        (("text", None, "X: y"), "headers must be a mapping or pairs, not str"),
        (("text", None, 5), "headers must be a mapping or pairs, not int"),
        (("text", None, None, "200"), "status code must be int, not str"),
        (("text", None, None, True), "status code must be int, not bool"),
        (42, "cannot make a response from int"),
        (4.2, "cannot make a response from float"),
        ({b"a"}, "cannot make a response from set"),
        (bytearray(b"x"), "cannot make a response from bytearray"),
        (object(), "cannot make a response from object"),
        (range(3), "cannot make a response from range"),
    ],
)
def test_bad_values(value: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        make_response(value)  # type: ignore[call-overload]  # the check under test


def test_bad_status_code() -> None:
    with pytest.raises(ValueError, match="not an HTTP status code"):
        make_response("x", status_code=1000)
    with pytest.raises(ValueError, match="not an HTTP status code"):
        make_response(("x", None, None, 0))


def test_served(serve: Serve) -> None:
    def pieces() -> Iterator[bytes]:
        yield b"streamed"

    base = serve(
        route_table(
            {
                "/text": lambda: make_response("hello"),
                "/json": lambda: make_response({"ok": True}),
                "/none": lambda: make_response(None),
                "/stream": lambda: make_response((pieces(), "text/plain")),
                "/tuple": lambda: make_response(("gone", "text/plain", {"X": "y"}, 410)),
            }
        )
    )
    reply = fetch(base, "/text")
    assert (reply.status, reply.headers["Content-Type"], reply.body) == (
        200,
        "text/html; charset=utf-8",
        b"hello",
    )
    reply = fetch(base, "/json")
    assert (reply.headers["Content-Type"], reply.body) == (
        "application/json; charset=utf-8",
        b'{"ok":true}',
    )
    reply = fetch(base, "/none")
    assert (reply.status, reply.body) == (204, b"")
    reply = fetch(base, "/stream")
    assert (reply.headers["Content-Type"], reply.body) == ("text/plain", b"streamed")
    reply = fetch(base, "/tuple")
    assert (reply.status, reply.reason, reply.headers["X"], reply.body) == (
        410,
        "Gone",
        "y",
        b"gone",
    )
