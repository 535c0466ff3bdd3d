"""Tests for shallot.http.request: Request attributes on real environs and over a real server."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import socket
import urllib.parse
from typing import TYPE_CHECKING, BinaryIO

import pytest

from shallot.http.authorization import Authorization
from shallot.http.exceptions import HTTPException
from shallot.http.fields import Fields
from shallot.http.limits import MiB, RequestLimits
from shallot.http.request import InputStream, Request
from shallot.http.response import Response
from shallot.testing import connect, fetch, resident_set_size

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.testing import Serve

BOUNDARY = "shallotTestBoundary"


def make_environ(
    path: str = "/",
    *,
    method: str = "GET",
    query: str = "",
    body: bytes | None = None,
    content_type: str | None = None,
    headers: dict[str, str] | None = None,
    terminated: bool = False,
    **extra: object,
) -> WSGIEnvironment:
    """A complete WSGI environ as a server would build it.

    ``body`` sets Content-Length; ``terminated`` sets ``wsgi.input_terminated`` (chunked input).
    """
    environ: WSGIEnvironment = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body or b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body is not None:
        environ["CONTENT_LENGTH"] = str(len(body))
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    if terminated:
        environ["wsgi.input_terminated"] = True
    environ.update(extra)
    return environ


def status_of(read: Callable[[], object]) -> int:
    return raised_by(read).status_code


def message_of(read: Callable[[], object]) -> str:
    return raised_by(read).message or ""


def raised_by(read: Callable[[], object]) -> HTTPException:
    with pytest.raises(HTTPException) as caught:
        read()
    return caught.value


class Untouchable(io.RawIOBase):
    """A ``wsgi.input`` that fails the test when read."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        raise AssertionError("the body must not be read")


def multipart(*parts: tuple[str, bytes, str | None], close: bool = True) -> bytes:
    """A multipart body of ``(name, data, filename)`` parts."""
    out = b""
    for name, data, filename in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        out += data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode() if close else out


MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


# Serving helpers -------------------------------------------------------------------------------


class ChunkedInput:
    """Decodes a chunked request body, as servers that set ``wsgi.input_terminated`` do."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._left = 0
        self._done = False

    def read(self, size: int = -1, /) -> bytes:
        out = bytearray()
        while not self._done and (size < 0 or len(out) < size):
            if self._left == 0:
                self._left = int(self._raw.readline().split(b";")[0], 16)
                if self._left == 0:
                    while self._raw.readline() not in (b"\r\n", b""):
                        pass
                    self._done = True
                    break
            count = self._left if size < 0 else min(self._left, size - len(out))
            data = self._raw.read(count)
            out += data
            self._left -= len(data)
            if self._left == 0:
                self._raw.readline()
        return bytes(out)


def app_for(
    handler: Callable[[Request], str],
    limits: RequestLimits | None = None,
    file_factory: Callable[[str, str, str], BinaryIO] | None = None,
) -> WSGIApplication:
    """A WSGI app answering ``handler(request)`` as text, or the HTTPException it raises."""

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
            environ["wsgi.input"] = ChunkedInput(environ["wsgi.input"])
            environ["wsgi.input_terminated"] = True
        request = Request(environ, limits, file_factory)
        try:
            response = Response(handler(request), "text/plain; charset=utf-8")
        except HTTPException as error:
            return error.response(environ, start_response)
        finally:
            request.close()
        return response(environ, start_response)

    return app


def post(
    base_url: str,
    body: bytes | Iterable[bytes],
    headers: dict[str, str],
    path: str = "/",
) -> tuple[int, str]:
    """POST ``body`` (an iterable one is sent chunked): the status and the answer as text."""
    reply = fetch(base_url, path, "POST", headers, body)
    return reply.status, reply.body.decode()


def raw_exchange(base_url: str, request: bytes) -> tuple[int, str]:
    """Send raw bytes, close our sending side (the client went away), read the answer."""
    url = urllib.parse.urlsplit(base_url)
    with socket.create_connection((url.hostname or "", url.port or 80), timeout=10) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, text = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), text.decode()


# Request line and URL parts --------------------------------------------------------------------


def test_design_is_a_thin_wrapper() -> None:
    from webob.request import BaseRequest

    assert not issubclass(Request, BaseRequest)
    assert "__dict__" not in dir(Request(make_environ()))
    assert Request.__doc__ is not None
    assert "__getattr__" in Request.__doc__


def test_method_is_a_plain_string() -> None:
    request = Request(make_environ(method="PROPFIND"))
    assert request.method == "PROPFIND"
    assert type(request.method) is str
    assert Request({}).method == "GET"


@pytest.mark.parametrize(
    ("path_info", "path"),
    [
        ("/a/b", "/a/b"),
        ("", "/"),
        ("/caf\xc3\xa9", "/café"),
        ("/%C3%A9", "/%C3%A9"),
        ("/bad\xff", "/bad\ufffd"),
        ("/already text ž", "/already text ž"),
    ],
)
def test_path(path_info: str, path: str) -> None:
    assert Request(make_environ(path_info)).path == path


def test_path_when_the_server_sends_none() -> None:
    assert Request({}).path == "/"


def test_root_and_full_path() -> None:
    request = Request(make_environ("/items/1", SCRIPT_NAME="/app\xc5\xbe"))
    assert request.root_path == "/appž"
    assert request.full_path == "/appž/items/1"
    mounted_root = Request(make_environ("", SCRIPT_NAME="/app"))
    assert mounted_root.full_path == "/app/"
    assert Request(make_environ("/x")).root_path == ""


def test_query_string_and_args() -> None:
    request = Request(make_environ(query="a=1&b=%C5%BE&a=2"))
    assert request.query_string == "a=1&b=%C5%BE&a=2"
    assert request.args.getlist("a") == ["1", "2"]
    assert request.args["b"] == "ž"
    assert request.args is request.args
    assert Request({}).args == Fields()


def test_args_field_limit_is_a_413() -> None:
    request = Request(make_environ(query="a=1&b=2&c=3"), RequestLimits(max_form_fields=2))
    assert status_of(lambda: request.args) == 413


def test_args_compact_and_conversion() -> None:
    request = Request(make_environ(query="id=1,2,3&page=x"))
    assert request.args.getlist("id", int, compact=True) == [1, 2, 3]
    assert status_of(lambda: request.args.getfirst("page", func=int)) == 400


def test_repr() -> None:
    assert repr(Request(make_environ("/x", method="POST"))) == "<Request POST '/x'>"


# Headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("  ", None), ("0", 0), ("12", 12), (" 12 ", 12)],
)
def test_content_length(value: str | None, expected: int | None) -> None:
    environ = make_environ()
    if value is not None:
        environ["CONTENT_LENGTH"] = value
    assert Request(environ).content_length == expected


@pytest.mark.parametrize("value", ["-1", "abc", "1.5", "+1", "1 2", "0x10", "١٢", "9" * 5000])
def test_invalid_content_length_is_a_400(value: str) -> None:
    request = Request(make_environ(CONTENT_LENGTH=value))
    assert status_of(lambda: request.content_length) == 400
    assert status_of(lambda: request.body) == 400


def test_content_type_and_params() -> None:
    request = Request(make_environ(content_type='Text/HTML; Charset="UTF-8"; q=1'))
    assert request.content_type == "text/html"
    assert request.mimetype_params == {"charset": "UTF-8", "q": "1"}
    assert request.charset == "utf-8"
    request.mimetype_params.clear()
    assert request.mimetype_params == {"charset": "UTF-8", "q": "1"}


def test_content_type_absent() -> None:
    request = Request(make_environ())
    assert request.content_type == ""
    assert request.mimetype_params == {}
    assert request.charset is None


def test_cookies() -> None:
    request = Request(make_environ(headers={"Cookie": 'a=1; b="two"; a=3; bad; =x'}))
    assert dict(request.cookies) == {"a": "1", "b": "two"}
    assert request.cookies is request.cookies
    assert dict(Request(make_environ()).cookies) == {}


def test_headers_are_webobs_environ_headers() -> None:
    from webob.headers import EnvironHeaders

    request = Request(make_environ(content_type="text/plain", headers={"X-Token": "abc"}))
    assert isinstance(request.headers, EnvironHeaders)
    assert request.headers["x-token"] == "abc"
    assert request.headers["Content-Type"] == "text/plain"
    assert "X-Missing" not in request.headers


def test_is_xhr() -> None:
    assert Request(make_environ(headers={"X-Requested-With": "XMLHttpRequest"})).is_xhr
    assert Request(make_environ(headers={"X-Requested-With": "xmlhttprequest"})).is_xhr
    assert not Request(make_environ(headers={"X-Requested-With": "fetch"})).is_xhr
    assert not Request(make_environ()).is_xhr


def test_scheme_and_secure() -> None:
    assert Request(make_environ()).scheme == "http"
    assert not Request(make_environ()).secure
    environ = make_environ()
    environ["wsgi.url_scheme"] = "https"
    https = Request(environ)
    assert https.scheme == "https"
    assert https.secure
    assert Request({}).scheme == "http"


@pytest.mark.parametrize(
    ("environ", "host"),
    [
        ({"HTTP_HOST": "example.com"}, "example.com"),
        ({"HTTP_HOST": "example.com:80"}, "example.com"),
        ({"HTTP_HOST": "example.com:8080"}, "example.com:8080"),
        ({"HTTP_HOST": "example.com:443", "wsgi.url_scheme": "https"}, "example.com"),
        ({"HTTP_HOST": "example.com:80", "wsgi.url_scheme": "https"}, "example.com:80"),
        ({"HTTP_HOST": "[::1]:80"}, "[::1]"),
        ({"SERVER_NAME": "srv", "SERVER_PORT": "80"}, "srv"),
        ({"SERVER_NAME": "srv", "SERVER_PORT": "8000"}, "srv:8000"),
        ({"SERVER_NAME": "srv", "SERVER_PORT": "443", "wsgi.url_scheme": "https"}, "srv"),
        ({"SERVER_NAME": "::1", "SERVER_PORT": "8000"}, "[::1]:8000"),
        ({"SERVER_NAME": "srv", "SERVER_PORT": ""}, "srv"),
        ({"HTTP_HOST": "  ", "SERVER_NAME": "srv", "SERVER_PORT": "81"}, "srv:81"),
    ],
)
def test_host(environ: WSGIEnvironment, host: str) -> None:
    base = make_environ()
    base.update(environ)
    assert Request(base).host == host


def test_remote_addr() -> None:
    assert Request(make_environ(REMOTE_ADDR="192.0.2.1")).remote_addr == "192.0.2.1"
    assert Request(make_environ()).remote_addr is None
    assert Request(make_environ(REMOTE_ADDR="")).remote_addr is None


def test_forwarded_header_wins() -> None:
    request = Request(
        make_environ(
            headers={
                "Forwarded": 'for=192.0.2.60;proto=HTTPS;host=app.example, for="[2001:db8::1]"',
                "X-Forwarded-For": "10.0.0.1",
                "X-Forwarded-Proto": "http",
            }
        )
    )
    assert request.forwarded_for == ["192.0.2.60", "2001:db8::1"]
    assert request.forwarded_host == "app.example"
    assert request.forwarded_proto == "https"


def test_x_forwarded_headers() -> None:
    request = Request(
        make_environ(
            headers={
                "X-Forwarded-For": "203.0.113.9, 10.0.0.1",
                "X-Forwarded-Host": "app.example",
                "X-Forwarded-Proto": "https",
            }
        )
    )
    assert request.forwarded_for == ["203.0.113.9", "10.0.0.1"]
    assert request.forwarded_host == "app.example"
    assert request.forwarded_proto == "https"
    request.forwarded_for.clear()
    assert request.forwarded_for == ["203.0.113.9", "10.0.0.1"]


def test_hostile_forwarded_headers_never_fail() -> None:
    request = Request(
        make_environ(headers={"Forwarded": 'for="' + "\\" * 10_001 + ', for=;;;"=,' * 1000})
    )
    assert request.forwarded_for == []
    assert request.forwarded_host is None
    assert request.forwarded_proto is None
    no_headers = Request(make_environ())
    assert (no_headers.forwarded_for, no_headers.forwarded_host) == ([], None)


def test_authorization() -> None:
    token = base64.b64encode(b"user:secret").decode()
    request = Request(make_environ(headers={"Authorization": f"Basic {token}"}))
    authorization = request.authorization
    assert authorization == Authorization("basic", token=token)
    assert authorization is not None
    assert authorization.basic() == ("user", "secret")
    assert request.authorization is authorization
    assert Request(make_environ()).authorization is None


@pytest.mark.parametrize(
    "value",
    ["", "Basic\tx", 'Digest a="unterminated', "Digest a=1, a=2", "Bearer " + "x" * 9000],
)
def test_malformed_authorization_is_a_400(value: str) -> None:
    request = Request(make_environ(headers={"Authorization": value}))
    assert status_of(lambda: request.authorization) == 400
    assert "malformed Authorization header" in message_of(lambda: request.authorization)


def test_user() -> None:
    assert Request(make_environ(REMOTE_USER="alice")).user == "alice"
    assert Request(make_environ()).user is None
    assert Request(make_environ(REMOTE_USER="")).user is None
    request = Request(make_environ(REMOTE_USER="alice"))
    request.user = "bob"
    assert request.user == "bob"
    request.user = None
    assert request.user is None


def test_webob_delegations() -> None:
    from webob.request import BaseRequest

    environ = make_environ(
        "/items",
        query="x=1",
        headers={
            "Host": "example.com:8080",
            "Accept": "text/html;q=0.5, application/json",
            "Accept-Language": "cs, en;q=0.5",
            "Accept-Encoding": "gzip",
            "Accept-Charset": "utf-8",
            "User-Agent": "tests/1.0",
        },
        SCRIPT_NAME="/app",
    )
    request = Request(environ)
    assert isinstance(request.webob, BaseRequest)
    assert request.webob is request.webob
    assert request.webob.environ is environ
    assert request.accept.acceptable_offers(["text/html", "application/json"]) == [
        ("application/json", 1.0),
        ("text/html", 0.5),
    ]
    assert request.accept_language.lookup(["en", "cs"], default="en") == "cs"
    assert request.accept_encoding.acceptable_offers(["br", "gzip"]) == [("gzip", 1.0)]
    assert request.accept_charset.acceptable_offers(["latin-1", "utf-8"]) == [("utf-8", 1.0)]
    assert request.url == "http://example.com:8080/app/items?x=1"
    assert request.host_url == "http://example.com:8080"
    assert request.application_url == "http://example.com:8080/app"
    assert request.user_agent == "tests/1.0"
    assert Request(make_environ()).user_agent is None


def test_creating_a_request_reads_nothing() -> None:
    environ = make_environ(CONTENT_LENGTH="not a number", HTTP_AUTHORIZATION="bad\x00")
    environ["wsgi.input"] = Untouchable()
    request = Request(environ)
    assert request.method == "GET"
    assert request.path == "/"


# Body, stream and JSON ------------------------------------------------------------------------


def test_body_is_read_once_and_cached() -> None:
    environ = make_environ(method="POST", body=b"hello")
    request = Request(environ)
    assert request.body == b"hello"
    assert request.body is request.body
    assert request.stream.read() == b""


def test_body_never_reads_past_content_length() -> None:
    environ = make_environ(method="POST", body=b"hello")
    environ["wsgi.input"] = io.BytesIO(b"helloNEXT REQUEST")
    assert Request(environ).body == b"hello"
    assert environ["wsgi.input"].read() == b"NEXT REQUEST"


def test_body_without_length_is_empty_unless_input_is_terminated() -> None:
    environ = make_environ(method="POST")
    environ["wsgi.input"] = io.BytesIO(b"data the server did not frame")
    assert Request(environ).body == b""
    terminated = make_environ(method="POST")
    terminated["wsgi.input"] = io.BytesIO(b"chunked data")
    terminated["wsgi.input_terminated"] = True
    assert Request(terminated).body == b"chunked data"


def test_body_without_wsgi_input() -> None:
    assert Request({"CONTENT_LENGTH": "0"}).body == b""


def test_body_over_the_limit_is_refused_before_reading() -> None:
    environ = make_environ(method="POST", CONTENT_LENGTH="101")
    environ["wsgi.input"] = Untouchable()
    request = Request(environ, RequestLimits(max_body_size=100))
    assert status_of(lambda: request.body) == 413
    assert status_of(lambda: request.body) == 413


def test_body_at_the_limit() -> None:
    request = Request(make_environ(body=b"x" * 100), RequestLimits(max_body_size=100))
    assert len(request.body) == 100


def test_unlimited_body() -> None:
    data = b"x" * (3 * 64 * 1024 + 5)
    assert Request(make_environ(body=data), RequestLimits(max_body_size=None)).body == data
    terminated = make_environ(terminated=True)
    terminated["wsgi.input"] = io.BytesIO(data)
    assert Request(terminated, RequestLimits(max_body_size=None)).body == data


def test_terminated_body_over_the_limit() -> None:
    environ = make_environ(terminated=True)
    environ["wsgi.input"] = io.BytesIO(b"x" * 200_001)
    request = Request(environ, RequestLimits(max_body_size=200_000))
    assert status_of(lambda: request.body) == 413
    environ["wsgi.input"] = io.BytesIO(b"x" * 200_000)
    assert len(Request(environ, RequestLimits(max_body_size=200_000)).body) == 200_000


def test_truncated_body_is_a_400() -> None:
    environ = make_environ(method="POST", CONTENT_LENGTH="10")
    environ["wsgi.input"] = io.BytesIO(b"short")
    request = Request(environ)
    assert message_of(lambda: request.body) == "truncated request body"
    assert status_of(lambda: request.body) == 400


def test_stream_after_the_whole_body_is_empty() -> None:
    environ = make_environ(method="POST", CONTENT_LENGTH="5")
    environ["wsgi.input"] = io.BytesIO(b"helloNEXT")
    request = Request(environ)
    assert request.body == b"hello"
    stream = request.stream
    assert stream.remaining == 0
    assert stream.read() == b""
    assert stream.readline() == b""
    assert not stream.truncated
    assert environ["wsgi.input"].read() == b"NEXT"  # nothing of what follows the body was read


def test_stream_after_a_truncated_body_says_so() -> None:
    environ = make_environ(method="POST", CONTENT_LENGTH="10")
    environ["wsgi.input"] = io.BytesIO(b"short")
    request = Request(environ)
    assert status_of(lambda: request.body) == 400
    assert request.stream.truncated
    assert request.stream.read() == b""


class TrickleInput(io.BytesIO):
    """A ``wsgi.input`` that gives at most three bytes per read, as a slow socket can."""

    def read(self, size: int | None = -1, /) -> bytes:
        return super().read(3 if size is None or size < 0 else min(size, 3))


def test_body_arriving_in_pieces_is_read_whole() -> None:
    environ = make_environ(method="POST", CONTENT_LENGTH="10")
    environ["wsgi.input"] = TrickleInput(b"0123456789NEXT")
    request = Request(environ)
    assert request.body == b"0123456789"
    assert environ["wsgi.input"].read() == b"NEX"  # nothing of what follows was read
    assert not request.stream.truncated


def test_body_ending_early_in_pieces_is_a_400() -> None:
    environ = make_environ(method="POST", CONTENT_LENGTH="10")
    environ["wsgi.input"] = TrickleInput(b"0123456")
    request = Request(environ)
    assert message_of(lambda: request.body) == "truncated request body"
    assert request.stream.truncated


def test_a_body_error_is_given_again_without_reading_again() -> None:
    environ = make_environ(method="POST", CONTENT_LENGTH="10")
    environ["wsgi.input"] = io.BytesIO(b"short")
    request = Request(environ)
    first = raised_by(lambda: request.body)
    environ["wsgi.input"] = Untouchable()
    assert raised_by(lambda: request.body) is first


def test_a_form_error_is_given_again_without_parsing_again() -> None:
    environ = make_environ(
        method="POST", CONTENT_TYPE="application/x-www-form-urlencoded", CONTENT_LENGTH="7"
    )
    environ["wsgi.input"] = io.BytesIO(b"a=1&b=2")
    request = Request(environ, RequestLimits(max_form_fields=1))
    first = raised_by(lambda: request.form)
    assert first.status_code == 413
    environ["CONTENT_TYPE"] = "text/plain"  # a second parse would find no form, and no error
    assert raised_by(lambda: request.files) is first


def test_urlencoded_form_keeps_the_body() -> None:
    environ = make_environ(
        method="POST",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH="9",
    )
    environ["wsgi.input"] = io.BytesIO(b"a=1&b=2&cNEXT")
    request = Request(environ)
    assert request.form.items() == [("a", "1"), ("b", "2"), ("c", "")]
    assert request.body == b"a=1&b=2&c"
    assert request.stream.read() == b""
    assert environ["wsgi.input"].read() == b"NEXT"


def test_stream_is_bounded() -> None:
    environ = make_environ(method="POST", CONTENT_LENGTH="11")
    environ["wsgi.input"] = io.BytesIO(b"line one\nabNEXT")
    stream = Request(environ).stream
    assert isinstance(stream, InputStream)
    assert stream.remaining == 11
    assert stream.readline() == b"line one\n"
    assert stream.read(1) == b"a"
    assert stream.read(0) == b""
    assert stream.read(100) == b"b"
    assert stream.read() == b""
    assert stream.readline() == b""
    assert stream.remaining == 0
    assert not stream.truncated
    assert environ["wsgi.input"].read() == b"NEXT"


def test_stream_readline_is_bounded() -> None:
    stream = InputStream(io.BytesIO(b"abcdef\nNEXT\n"), 4)
    assert stream.readline(2) == b"ab"
    assert stream.readline() == b"cd"
    assert stream.readline() == b""


def test_stream_marks_truncation() -> None:
    stream = InputStream(io.BytesIO(b"abc"), 10)
    assert stream.read() == b"abc"
    assert stream.truncated
    line_stream = InputStream(io.BytesIO(b""), 10)
    assert line_stream.readline() == b""
    assert line_stream.truncated


def test_stream_without_length_reads_to_the_end() -> None:
    data = b"x" * (2 * 64 * 1024 + 1) + b"\nlast"
    stream = InputStream(io.BytesIO(data), None)
    assert stream.remaining is None
    assert stream.read(3) == b"xxx"
    assert stream.read() == data[3:]
    line_stream = InputStream(io.BytesIO(b"one\ntwo"), None)
    assert line_stream.readline() == b"one\n"
    assert line_stream.readline() == b"two"


def test_stream_is_cached() -> None:
    request = Request(make_environ(body=b"x"))
    assert request.stream is request.stream


def json_request(data: bytes, content_type: str = "application/json", **options: object) -> Request:
    return Request(make_environ(method="POST", body=data, content_type=content_type), **options)  # type: ignore[arg-type]  # options as Request takes them


@pytest.mark.parametrize(
    ("data", "value"),
    [
        (b'{"a": [1, 2.5, "\\u017e", true, null]}', {"a": [1, 2.5, "ž", True, None]}),
        ('"žluť"'.encode(), "žluť"),
        (b"null", None),
        (b"\xef\xbb\xbf[1]", [1]),
        (b" 42 ", 42),
    ],
)
def test_json(data: bytes, value: object) -> None:
    assert json_request(data).json == value


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        "application/problem+json",
        "application/vnd.api+json",
    ],
)
def test_json_content_types(content_type: str) -> None:
    assert json_request(b"[]", content_type).json == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/jsonp", "", "json"])
def test_json_wrong_content_type_is_a_415(content_type: str) -> None:
    assert status_of(lambda: json_request(b"{}", content_type).json) == 415


def test_json_is_cached() -> None:
    request = json_request(b"null")
    assert request.json is None
    request.environ["wsgi.input"] = Untouchable()
    assert request.json is None
    listing = json_request(b"[1]")
    assert listing.json is listing.json


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "invalid JSON body: Expecting value (line 1, column 1)"),
        (b'{"a": 1,}', "invalid JSON body: "),
        (b'{"a": 1}\n  x', "(line 2, column 3)"),
        (b"[NaN]", "NaN is not valid JSON"),
        (b"-Infinity", "-Infinity is not valid JSON"),
        (b'"\xff"', "JSON body is not valid UTF-8 (at byte 1)"),
        ('"žluť"'.encode("utf-16"), "JSON body is not valid UTF-8 (at byte 0)"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"1" * 5000, "invalid JSON body"),
    ],
)
def test_invalid_json_is_a_400_saying_where(data: bytes, message: str) -> None:
    request = json_request(data)
    assert status_of(lambda: request.json) == 400
    assert message in message_of(lambda: request.json)


def test_json_size_limit() -> None:
    limits = RequestLimits(max_json_size=10)
    assert json_request(b"[1,2,3,4]", limits=limits).json == [1, 2, 3, 4]
    assert status_of(lambda: json_request(b"[1,2,3,4,5]", limits=limits).json) == 413
    environ = make_environ(content_type="application/json", terminated=True)
    environ["wsgi.input"] = io.BytesIO(b"[" + b"1," * 10 + b"1]")
    assert status_of(lambda: Request(environ, limits).json) == 413


def test_json_over_the_limit_is_refused_before_reading() -> None:
    environ = make_environ(content_type="application/json", CONTENT_LENGTH="11")
    environ["wsgi.input"] = Untouchable()
    assert status_of(lambda: Request(environ, RequestLimits(max_json_size=10)).json) == 413


# Forms -------------------------------------------------------------------------------------


def test_urlencoded_form_shares_the_body() -> None:
    data = b"name=%C5%BEluva&tags=a,b"
    request = Request(
        make_environ(method="POST", body=data, content_type="application/x-www-form-urlencoded")
    )
    assert request.form.items() == [("name", "žluva"), ("tags", "a,b")]
    assert request.form is request.form
    assert len(request.files) == 0
    assert request.body == data


def test_urlencoded_form_limits() -> None:
    def form_of(data: bytes, limits: RequestLimits) -> Fields:
        environ = make_environ(body=data, content_type="application/x-www-form-urlencoded")
        return Request(environ, limits).form

    assert status_of(lambda: form_of(b"a=1&b=2", RequestLimits(max_form_fields=1))) == 413
    assert status_of(lambda: form_of(b"a=12345", RequestLimits(max_field_size=4))) == 413
    assert status_of(lambda: form_of(b"a=12345", RequestLimits(max_body_size=6))) == 413


def test_other_content_types_have_no_form_and_keep_the_body() -> None:
    request = Request(make_environ(method="POST", body=b"a=1", content_type="text/plain"))
    assert request.form == Fields()
    assert len(request.files) == 0
    assert request.body == b"a=1"
    assert Request(make_environ()).form == Fields()


def test_multipart_form_and_files() -> None:
    data = multipart(("title", b"hello", None), ("doc", b"file bytes", "../secret.txt"))
    request = Request(make_environ(method="POST", body=data, content_type=MULTIPART))
    assert request.form.items() == [("title", "hello")]
    upload = request.files["doc"]
    assert upload.filename == "secret.txt"
    assert upload.file.read() == b"file bytes"
    assert request.files is request.files
    request.close()
    assert upload.file.closed
    request.close()


def test_multipart_after_body_parses_the_cached_body() -> None:
    data = multipart(("a", b"1", None))
    request = Request(make_environ(method="POST", body=data, content_type=MULTIPART))
    assert request.body == data
    assert request.form["a"] == "1"


def test_multipart_after_a_failed_body_read() -> None:
    data = multipart(("a", b"1", None))
    environ = make_environ(method="POST", body=data, content_type=MULTIPART)
    request = Request(environ, RequestLimits(max_body_size=5))
    assert status_of(lambda: request.body) == 413
    assert status_of(lambda: request.form) == 413


def test_multipart_with_a_custom_file_factory(tmp_path: Path) -> None:
    made: list[str] = []

    def factory(field_name: str, filename: str, content_type: str, /) -> BinaryIO:
        made.append(f"{field_name}:{filename}:{content_type}")
        return (tmp_path / filename).open("w+b")

    data = multipart(("up", b"content", "a.txt"))
    request = Request(make_environ(body=data, content_type=MULTIPART), file_factory=factory)
    assert request.files["up"].size == 7
    request.close()
    assert made == ["up:a.txt:application/octet-stream"]
    assert (tmp_path / "a.txt").read_bytes() == b"content"


def test_multipart_errors_are_remembered() -> None:
    data = multipart(("a", b"1", None), close=False)
    request = Request(make_environ(body=data, content_type=MULTIPART))
    assert message_of(lambda: request.form) == "truncated multipart body"
    assert message_of(lambda: request.files) == "truncated multipart body"
    request.close()


def test_multipart_without_boundary() -> None:
    request = Request(make_environ(body=b"x", content_type="multipart/form-data"))
    assert status_of(lambda: request.form) == 400


def test_close_without_a_form() -> None:
    Request(make_environ()).close()


# Over a real server -------------------------------------------------------------------------


def echo_body(request: Request) -> str:
    return f"{len(request.body)}:{request.body[:20].decode()}"


def test_served_body(serve: Serve) -> None:
    base = serve(app_for(echo_body))
    assert post(base, b"hello", {}) == (200, "5:hello")


def test_served_body_with_content_length_over_the_limit(serve: Serve) -> None:
    base = serve(app_for(echo_body, RequestLimits(max_body_size=100)))
    with connect(base) as connection:
        connection.putrequest("POST", "/")
        connection.putheader("Content-Length", str(10 * MiB))
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 413
        assert "body too large" in response.read().decode()


def test_served_chunked_body(serve: Serve) -> None:
    base = serve(app_for(echo_body, RequestLimits(max_body_size=100)))
    headers = {"Transfer-Encoding": "chunked"}
    assert post(base, iter([b"abc", b"def"]), headers) == (200, "6:abcdef")
    assert post(base, iter([b"x" * 60, b"y" * 40]), headers)[0] == 200
    status, text = post(base, iter([b"x" * 60, b"y" * 41]), headers)
    assert status == 413
    assert "body too large (limit 100 bytes)" in text


def test_served_body_cut_short(serve: Serve) -> None:
    base = serve(app_for(echo_body))
    status, text = raw_exchange(
        base, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly this"
    )
    assert status == 400
    assert "truncated request body" in text


def test_served_json(serve: Serve) -> None:
    base = serve(app_for(lambda request: json.dumps(request.json)))
    assert post(base, b'{"a": [1]}', {"Content-Type": "application/json"}) == (200, '{"a": [1]}')
    status, text = post(base, b'{"a": }', {"Content-Type": "application/json"})
    assert status == 400
    assert "line 1, column 7" in text
    assert post(base, b"{}", {"Content-Type": "text/plain"})[0] == 415


def describe_form(request: Request) -> str:
    files = ",".join(
        f"{name}={upload.filename}:{upload.size}" for name, upload in request.files.items()
    )
    return f"{request.form.items()}|{files}"


def test_served_multipart(serve: Serve) -> None:
    base = serve(app_for(describe_form))
    data = multipart(("a", b"1", None), ("f", b"12345", "x.bin"), ("a", "ž".encode(), None))
    status, text = post(base, data, {"Content-Type": MULTIPART})
    assert (status, text) == (200, "[('a', '1'), ('a', 'ž')]|f=x.bin:5")


def test_served_chunked_multipart(serve: Serve) -> None:
    base = serve(app_for(describe_form, RequestLimits(max_upload_size=1000)))
    data = multipart(("f", b"x" * 500, "x.bin"))
    pieces = [data[i : i + 100] for i in range(0, len(data), 100)]
    headers = {"Content-Type": MULTIPART, "Transfer-Encoding": "chunked"}
    assert post(base, iter(pieces), headers) == (200, "[]|f=x.bin:500")
    big = multipart(("f", b"x" * 1000, "x.bin"))
    assert post(base, iter([big]), headers)[0] == 413


def test_served_multipart_cut_short(serve: Serve) -> None:
    opened: list[BinaryIO] = []

    def factory(field_name: str, filename: str, content_type: str, /) -> BinaryIO:
        file = io.BytesIO()
        opened.append(file)
        return file

    base = serve(app_for(describe_form, file_factory=factory))
    data = multipart(("f", b"x" * 5000, "x.bin"))
    head = (
        f"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: {MULTIPART}\r\n"
        f"Content-Length: {len(data) + 1000}\r\n\r\n"
    ).encode()
    status, text = raw_exchange(base, head + data[:-20])
    assert status == 400
    assert "truncated multipart body" in text
    assert len(opened) == 1
    assert opened[0].closed


def test_served_multipart_missing_final_boundary(serve: Serve) -> None:
    base = serve(app_for(describe_form))
    data = multipart(("a", b"1", None), ("f", b"data", "x.bin"), close=False)
    status, text = post(base, data, {"Content-Type": MULTIPART})
    assert status == 400
    assert "truncated multipart body" in text


def test_served_multipart_limits(serve: Serve) -> None:
    limits = RequestLimits(max_form_parts=3, max_form_fields=2, max_field_size=10)
    base = serve(app_for(describe_form, limits))
    headers = {"Content-Type": MULTIPART}
    fields = [("a", b"1", None), ("b", b"2", None), ("c", b"3", None)]
    status, text = post(base, multipart(*fields), headers)
    assert (status, "too many fields" in text) == (413, True)
    files = [("f", b"1", "a"), ("f", b"2", "b"), ("f", b"3", "c"), ("f", b"4", "d")]
    status, text = post(base, multipart(*files), headers)
    assert (status, "too many multipart parts" in text) == (413, True)
    status, text = post(base, multipart(("a", b"x" * 11, None)), headers)
    assert (status, "too large" in text) == (413, True)
    assert post(base, multipart(("a", b"x" * 10, None), ("f", b"y" * 100, "big")), headers) == (
        200,
        f"[('a', '{'x' * 10}')]|f=big:100",
    )


def test_served_upload_of_50_mib_goes_to_disk(serve: Serve) -> None:
    size = 50 * MiB
    chunk = bytes(range(256)) * 256
    seen: dict[str, int | str] = {}

    def handler(request: Request) -> str:
        upload = request.files["blob"]
        seen["rss"] = resident_set_size()
        digest = hashlib.sha256()
        while block := upload.file.read(64 * 1024):
            digest.update(block)
        seen["sha256"] = digest.hexdigest()
        return str(upload.size)

    base = serve(app_for(handler))
    head = (
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=blob; filename=blob.bin\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    expected = hashlib.sha256()
    with connect(base, timeout=60) as connection:
        connection.putrequest("POST", "/")
        connection.putheader("Content-Type", MULTIPART)
        connection.putheader("Content-Length", str(len(head) + size + len(tail)))
        connection.endheaders()
        baseline = peak = resident_set_size()
        connection.send(head)
        for index in range(size // len(chunk)):
            connection.send(chunk)
            expected.update(chunk)
            if index % 32 == 0:
                peak = max(peak, resident_set_size())
        connection.send(tail)
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, str(size).encode())
    assert seen["sha256"] == expected.hexdigest()
    assert isinstance(seen["rss"], int)
    peak = max(peak, seen["rss"])
    assert peak - baseline < 8 * MiB


def test_served_hostile_headers(serve: Serve) -> None:
    def handler(request: Request) -> str:
        return f"{request.forwarded_for}|{request.forwarded_proto}|{request.authorization}"

    base = serve(app_for(handler))
    status, text = post(
        base,
        b"",
        {"Forwarded": 'for="\\"; proto=;;, =,"' + "," * 1000, "X-Forwarded-For": "1.2.3.4"},
    )
    assert (status, text) == (200, "[]|None|None")
    status, text = post(base, b"", {"Authorization": 'Digest realm="x'})
    assert status == 400
    assert "malformed Authorization header" in text


def test_served_many_fields_in_the_query(serve: Serve) -> None:
    base = serve(app_for(lambda request: str(len(request.args.items()))))
    assert fetch(base, "/?" + "&".join(f"f{i}=1" for i in range(1001))).status == 413
