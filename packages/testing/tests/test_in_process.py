"""make_environ and call: a request built as a server builds it, answered in this process."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pytest

from shallot.testing import call, fetch, make_environ

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.testing import Call, Serve

TEXT = [("Content-Type", "text/plain")]


def echo(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Answers ``METHOD PATH_INFO?QUERY_STRING`` (the bytes they carry), a newline, the body."""
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    line = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}?{environ['QUERY_STRING']}"
    start_response("200 OK", TEXT)
    return [line.encode("latin-1"), b"\n", body]


class CountingBody:
    """A body that counts the calls of its ``close()``; it fails after ``fail_after`` items."""

    def __init__(self, items: list[bytes], fail_after: int | None = None) -> None:
        self.items = items
        self.fail_after = fail_after
        self.closes = 0

    def __iter__(self) -> Iterator[bytes]:
        for number, item in enumerate(self.items):
            if number == self.fail_after:
                raise RuntimeError("the body failed")
            yield item

    def close(self) -> None:
        self.closes += 1


def answering_with(body: CountingBody) -> WSGIApplication:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", TEXT)
        return body

    return app


def test_a_percent_encoded_utf8_path_arrives_as_latin1_text() -> None:
    environ = make_environ("/caf%C3%A9/a%20b?q=caf%C3%A9&next=%2F")
    assert environ["PATH_INFO"] == "/caf\xc3\xa9/a b"
    assert environ["PATH_INFO"].encode("latin-1").decode("utf-8") == "/café/a b"
    assert environ["QUERY_STRING"] == "q=caf%C3%A9&next=%2F"
    unencoded = make_environ("/café?q=é")
    assert unencoded["PATH_INFO"] == environ["PATH_INFO"][:-4]
    assert unencoded["QUERY_STRING"] == "q=\xc3\xa9"
    assert make_environ()["PATH_INFO"] == "/"


def test_the_environ_is_the_one_a_real_server_builds(serve: Serve) -> None:
    """The request keys agree with what wsgiref's server (the ``serve`` fixture) passes on."""
    served: list[WSGIEnvironment] = []

    def recording(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        served.append(dict(environ))
        start_response("204 No Content", [])
        return []

    target = "/caf%C3%A9/a%20b?q=caf%C3%A9&next=%2F"
    headers = {"Content-Type": "text/plain", "X-Token": "t1", "Accept-Encoding": "identity"}
    fetch(serve(recording), target, "PUT", headers, b"data")
    built = make_environ(target, "PUT", headers, b"data")
    keys = [
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "PATH_INFO",
        "QUERY_STRING",
        "CONTENT_TYPE",
        "CONTENT_LENGTH",
        "HTTP_X_TOKEN",
        "HTTP_ACCEPT_ENCODING",
        "SERVER_PROTOCOL",
        "REMOTE_ADDR",
        "wsgi.url_scheme",
    ]
    assert {key: built[key] for key in keys} == {key: served[0][key] for key in keys}
    assert built["wsgi.input"].read() == b"data"


def test_a_body_sets_content_length() -> None:
    environ = make_environ("/upload", "POST", body=b"12345")
    assert (environ["CONTENT_LENGTH"], environ["wsgi.input"].read()) == ("5", b"12345")
    assert "CONTENT_LENGTH" not in make_environ("/upload", "POST")
    declared = make_environ("/upload", "POST", {"Content-Length": "3"}, b"12345")
    assert declared["CONTENT_LENGTH"] == "3"


def test_headers_become_http_keys_and_the_two_cgi_names() -> None:
    environ = make_environ(
        headers={"Content-Type": "application/json", "If-None-Match": '"a"', "cookie": "s=1"}
    )
    assert environ["CONTENT_TYPE"] == "application/json"
    assert environ["HTTP_IF_NONE_MATCH"] == '"a"'
    assert environ["HTTP_COOKIE"] == "s=1"
    assert "HTTP_CONTENT_TYPE" not in environ


def test_environ_goes_over_it_and_the_testing_defaults_fill_the_rest() -> None:
    plain = make_environ()
    assert (plain["REQUEST_METHOD"], plain["SCRIPT_NAME"], plain["QUERY_STRING"]) == ("GET", "", "")
    assert (plain["SERVER_NAME"], plain["HTTP_HOST"], plain["SERVER_PORT"]) == (
        "127.0.0.1",
        "127.0.0.1",
        "80",
    )
    assert (plain["SERVER_PROTOCOL"], plain["REMOTE_ADDR"]) == ("HTTP/1.1", "127.0.0.1")
    assert (plain["wsgi.version"], plain["wsgi.errors"]) == ((1, 0), sys.stderr)
    given = make_environ(
        "/x",
        headers={"Host": "from.header"},
        environ={"wsgi.url_scheme": "https", "SCRIPT_NAME": "/app", "app.key": 1},
    )
    assert (given["wsgi.url_scheme"], given["SERVER_PORT"]) == ("https", "443")
    assert (given["SCRIPT_NAME"], given["PATH_INFO"], given["app.key"]) == ("/app", "/x", 1)
    assert given["HTTP_HOST"] == "from.header"
    named = make_environ(environ={"SERVER_NAME": "example.org", "PATH_INFO": "/raw%41"})
    assert (named["HTTP_HOST"], named["PATH_INFO"]) == ("example.org", "/raw%41")


def test_call_sends_the_request() -> None:
    reply = call(echo, "/caf%C3%A9?q=1", "POST", {"Content-Type": "text/plain"}, b"hello")
    assert (reply.status, reply.reason) == (200, "OK")
    assert reply.body == "POST /café?q=1\nhello".encode()


def test_call_gives_the_fields_exactly_as_the_app_gave_them() -> None:
    fields = [
        ("content-TYPE", "text/plain; charset=utf-8"),
        ("Set-Cookie", "a=1"),
        ("X-Empty", ""),
        ("Set-Cookie", "b=2"),
    ]

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("299 Odd But Fine", fields)
        return [b""]

    reply = call(app, "/")
    assert (reply.status, reply.reason, reply.body) == (299, "Odd But Fine", b"")
    assert reply.headers.items() == fields
    assert reply.headers.get_all("Set-Cookie") == ["a=1", "b=2"]


def test_call_reads_what_was_written_then_returned() -> None:
    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        write = start_response("200 OK", TEXT)
        write(b"written;")
        return [b"returned;", b"", b"last"]

    assert call(legacy).body == b"written;returned;last"


def test_the_validator_catches_a_non_str_header() -> None:
    def bad_header(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("X-Bad", b"bytes")])  # type: ignore[list-item]  # under test
        return [b"never"]

    with pytest.raises(AssertionError, match="must be of type str"):
        call(bad_header)


def test_the_validator_catches_a_str_body() -> None:
    def str_body(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", TEXT)
        return ["text"]  # type: ignore[list-item]  # the fault under test

    with pytest.raises(AssertionError, match="non-bytestring"):
        call(str_body)


def test_the_body_is_closed_once() -> None:
    body = CountingBody([b"one", b"two"])
    assert call(answering_with(body)).body == b"onetwo"
    assert body.closes == 1


def test_the_body_is_closed_once_when_reading_it_fails() -> None:
    body = CountingBody([b"one", b"two"], fail_after=1)
    with pytest.raises(RuntimeError, match="the body failed"):
        call(answering_with(body))
    assert body.closes == 1


def test_an_extension_method_is_the_tests_choice() -> None:
    """The validator warns about methods it does not list; pytest here makes warnings errors."""
    assert call(echo, "/dav/", "PROPFIND").body == b"PROPFIND /dav/?\n"


def test_exc_info_before_the_body_replaces_the_status() -> None:
    def failing_early(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [*TEXT, ("X-Was", "ok")])
        try:
            raise ValueError("failed before the body")
        except ValueError:
            start_response("500 Internal Server Error", TEXT, sys.exc_info())
        return [b"failed"]

    reply = call(failing_early)
    assert (reply.status, reply.headers.items(), reply.body) == (500, TEXT, b"failed")


def test_exc_info_after_the_body_began_raises_the_error() -> None:
    def failing_late(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        start_response("200 OK", TEXT)
        yield b""
        yield b"begun"
        try:
            raise ValueError("failed in the body")
        except ValueError:
            start_response("500 Internal Server Error", TEXT, sys.exc_info())
        yield b"never"

    with pytest.raises(ValueError, match="failed in the body"):
        call(failing_late)


def test_an_answer_without_start_response_fails() -> None:
    def silent(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return []

    with pytest.raises(AssertionError, match="without calling start_response"):
        call(silent)


def test_the_call_fixture(call: Call) -> None:
    reply = call(echo, "/fixture", environ={"SCRIPT_NAME": "/mounted"})
    assert (reply.status, reply.body) == (200, b"GET /fixture?\n")
