"""validated and route_table: apps behind wsgiref's validator, recording what they handed over."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING
from wsgiref.util import setup_testing_defaults

import pytest

from shallot.testing import fetch, route_table, validated

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.testing import Serve


def answering(
    body: list[bytes], status: str = "200 OK", headers: list[tuple[str, str]] | None = None
) -> WSGIApplication:
    """An app answering ``status`` with ``headers`` (a text/plain type by default) and ``body``."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response(status, [("Content-Type", "text/plain")] if headers is None else headers)
        return body

    return app


def bad_header(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Breaks PEP 3333: a header value must be a str."""
    start_response("200 OK", [("X-Bad", b"bytes")])  # type: ignore[list-item]  # the fault under test
    return [b"never"]


def ignore_write(data: bytes) -> object:
    return None


def test_validated_records_the_body_objects(serve: Serve) -> None:
    body = [b"one", b"two"]
    bodies: list[object] = []
    base = serve(validated(answering(body), bodies))
    assert fetch(base).body == b"onetwo"
    assert fetch(base).body == b"onetwo"
    assert len(bodies) == 2
    assert all(recorded is body for recorded in bodies)


def test_validated_without_recording(serve: Serve) -> None:
    assert fetch(serve(validated(answering([b"fine"])))).body == b"fine"


def test_validator_catches_a_bad_app() -> None:
    environ: dict[str, object] = {}
    setup_testing_defaults(environ)
    environ["QUERY_STRING"] = ""

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        return ignore_write

    with pytest.raises(AssertionError, match="must be of type str"):
        validated(bad_header)(environ, start_response)


def test_validator_catches_a_bad_app_served(serve: Serve) -> None:
    assert fetch(serve(validated(bad_header))).status == 500
    assert fetch(serve(route_table({"/": lambda: bad_header}))).status == 500


def test_route_table_answers_each_path_from_a_fresh_app(serve: Serve) -> None:
    made: list[str] = []

    def make(name: str) -> Callable[[], WSGIApplication]:
        def build() -> WSGIApplication:
            made.append(name)
            return answering([name.encode()])

        return build

    base = serve(route_table({"/a": make("a"), "/b": make("b")}))
    assert (fetch(base, "/a").body, fetch(base, "/b").body, fetch(base, "/a").body) == (
        b"a",
        b"b",
        b"a",
    )
    assert made == ["a", "b", "a"]
    assert fetch(base, "/unknown").status == 500


def test_route_table_records_the_headers_the_app_sent(serve: Serve) -> None:
    sent: dict[str, list[tuple[str, str]]] = {}
    table = {
        "/empty": lambda: answering([], "204 No Content", [("X", "y")]),
        "/text": lambda: answering([b"hi"]),
    }
    base = serve(route_table(table, sent))
    reply = fetch(base, "/empty")
    assert (reply.status, reply.headers["X"], reply.headers["Content-Length"]) == (204, "y", "0")
    assert "Date" in reply.headers
    assert sent["/empty"] == [("X", "y")]
    assert fetch(base, "/text").body == b"hi"
    assert sent["/text"] == [("Content-Type", "text/plain")]
    assert fetch(serve(route_table(table)), "/text").body == b"hi"


def test_route_table_passes_exc_info_on(serve: Serve) -> None:
    def failing_late(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise ValueError("failed before the body")
        except ValueError:
            failed = [("Content-Type", "text/plain"), ("X-Error", "1")]
            start_response("500 Internal Server Error", failed, sys.exc_info())
        return [b"failed"]

    sent: dict[str, list[tuple[str, str]]] = {}
    reply = fetch(serve(route_table({"/": lambda: failing_late}, sent)))
    assert (reply.status, reply.headers["X-Error"], reply.body) == (500, "1", b"failed")
    assert sent["/"] == [("Content-Type", "text/plain"), ("X-Error", "1")]
