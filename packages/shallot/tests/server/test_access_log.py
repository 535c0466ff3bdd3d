from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING
from wsgiref.util import setup_testing_defaults

import pytest

from shallot.server.access_log import AccessLog

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

LINE = re.compile(
    r'^(?P<address>\S+) - (?P<user>\S+) \[[^\]]+\] "(?P<request>[^"]*)" '
    r"(?P<status>\d{3}) (?P<size>\S+) (?P<ms>\d+\.\d)ms\n$"
)


class Body:
    """A response body that records whether the server closed it."""

    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield b"hello"

    def close(self) -> None:
        self.closed = True


def environ(**values: str) -> WSGIEnvironment:
    env: WSGIEnvironment = {"REMOTE_ADDR": "127.0.0.1", **values}
    setup_testing_defaults(env)
    return env


def call(app: AccessLog, env: WSGIEnvironment) -> bytes:
    statuses: list[str] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> object:
        statuses.append(status)
        return lambda data: None

    body = app(env, start_response)  # type: ignore[arg-type]  # a minimal start_response
    try:
        return b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()


def test_one_line_per_request_written_when_the_body_is_closed() -> None:
    body = Body()

    def app(env: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("207 Multi-Status", [("Content-Type", "text/xml")])
        return body

    stream = io.StringIO()
    logged = AccessLog(app, stream)
    env = environ(REQUEST_METHOD="PROPFIND", REQUEST_URI="/docs/a%20b?x=1", REMOTE_USER="ann")
    assert call(logged, env) == b"hello"
    assert body.closed
    match = LINE.match(stream.getvalue())
    assert match is not None, stream.getvalue()
    assert match["address"] == "127.0.0.1"
    assert match["user"] == "ann"
    assert match["request"] == "PROPFIND /docs/a%20b?x=1 HTTP/1.0"
    assert (match["status"], match["size"]) == ("207", "-")


def test_the_size_is_the_content_length_and_a_missing_user_is_a_dash() -> None:
    def app(env: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("content-length", "5")])
        return [b"hello"]

    stream = io.StringIO()
    call(AccessLog(app, stream), environ(PATH_INFO="/f"))
    match = LINE.match(stream.getvalue())
    assert match is not None
    assert (match["user"], match["status"], match["size"]) == ("-", "200", "5")


def test_a_decoded_newline_or_quote_cannot_forge_a_line() -> None:
    def app(env: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("404 Not Found", [])
        return []

    stream = io.StringIO()
    env = environ(PATH_INFO='/a\n127.0.0.1 - admin "GET', REMOTE_USER='x" y')
    call(AccessLog(app, stream), env)
    text = stream.getvalue()
    assert text.count("\n") == 1
    match = LINE.match(text)
    assert match is not None, text
    assert match["request"].startswith("GET /a%0A127.0.0.1%20-%20admin%20%22GET ")
    assert match["user"] == "x\\x22\\x20y"


def test_an_application_error_is_logged_as_500_and_propagates() -> None:
    def app(env: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        raise RuntimeError("boom")

    stream = io.StringIO()
    with pytest.raises(RuntimeError, match="boom"):
        call(AccessLog(app, stream), environ())
    match = LINE.match(stream.getvalue())
    assert match is not None
    assert match["status"] == "500"
