"""DebugFilter: the records at each verbosity, secrets never logged, bodies seen without breaking
streaming, filters, and bad input that changes nothing; served for real (cheroot, wsgiref)."""

from __future__ import annotations

import base64
import io
import logging
import re
import socket
import threading
import time
from typing import TYPE_CHECKING

import pytest

from shallot.middleware import DebugFilter, Verbosity
from shallot.testing import connect, fetch

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from packages.middleware.tests.conftest import Send
    from shallot.testing import Serve

PROPFIND = b'<?xml version="1.0"?>\n<propfind xmlns="DAV:"><allprop/></propfind>\n'
MULTISTATUS = b'<?xml version="1.0"?>\n<multistatus xmlns="DAV:"/>\n'
SECRET = "hunter2-secret"


@pytest.fixture(autouse=True)
def debug_level(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="shallot.middleware.debug")


def messages(caplog: pytest.LogCaptureFixture, done: int = 1) -> list[str]:
    """The filter's records, once ``done`` exchanges have logged their summary (the server
    closes a body after the client has its answer, so the summary may come a moment later)."""
    deadline = time.monotonic() + 30
    while True:
        found = [
            record.getMessage()
            for record in caplog.records
            if record.name == "shallot.middleware.debug"
        ]
        if sum(" done: " in message for message in found) >= done:
            return found
        assert time.monotonic() < deadline, found
        time.sleep(0.01)


def dav_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Reads the whole request body; answers 207 with XML and a session cookie."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response(
        "207 Multi-Status",
        [
            ("Content-Type", "application/xml; charset=utf-8"),
            ("Content-Length", str(len(MULTISTATUS))),
            ("Set-Cookie", f"session={SECRET}; HttpOnly"),
        ],
    )
    return [MULTISTATUS]


def hello(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]


@pytest.mark.parametrize("verbosity", list(Verbosity))
def test_a_valid_wsgi_application_at_every_verbosity(send: Send, verbosity: Verbosity) -> None:
    app: WSGIApplication = DebugFilter(dav_app, verbosity=verbosity)
    headers = {"Content-Type": "text/xml", "Content-Length": str(len(PROPFIND))}
    answer = send(app, "/", "PUT", headers, environ={"wsgi.input": io.BytesIO(PROPFIND)})
    assert (answer.status, answer.body) == (207, MULTISTATUS)


def test_summary_logs_the_request_line_and_the_outcome(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve
) -> None:
    base = cheroot_serve(DebugFilter(hello, verbosity=Verbosity.SUMMARY))
    assert fetch(base, "/a/b?x=1", headers={"X-Custom": "yes"}).body == b"hello"
    request, done = messages(caplog)
    assert request == "#1 GET /a/b?x=1 HTTP/1.1"
    assert re.fullmatch(r"#1 done: 200 OK, 5 bytes sent in \d+\.\d ms", done), done


def test_headers_of_the_request_and_the_response(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve
) -> None:
    base = cheroot_serve(DebugFilter(dav_app))
    reply = fetch(base, "/d/", "PROPFIND", {"Depth": "1", "Content-Type": "text/xml"}, PROPFIND)
    assert reply.status == 207
    request, response, done = messages(caplog)
    lines = request.splitlines()
    assert lines[0] == "#1 PROPFIND /d/ HTTP/1.1"
    assert "    Depth: 1" in lines
    assert "    Content-Type: text/xml" in lines
    assert f"    Content-Length: {len(PROPFIND)}" in lines
    assert response.splitlines() == [
        "#1 response 207 Multi-Status",
        "    Content-Type: application/xml; charset=utf-8",
        f"    Content-Length: {len(MULTISTATUS)}",
        "    Set-Cookie: <redacted>",
    ]
    assert done.startswith(f"#1 done: 207 Multi-Status, {len(MULTISTATUS)} bytes sent in ")
    assert "<propfind" not in caplog.text


def test_only_the_selected_request_headers(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve
) -> None:
    base = cheroot_serve(DebugFilter(hello, headers=["depth", "Destination"]))
    fetch(base, "/", headers={"Depth": "0", "Destination": "/b", "X-Other": "no"})
    request = messages(caplog)[0]
    assert request.splitlines()[1:] == ["    Depth: 0", "    Destination: /b"]


@pytest.mark.parametrize("verbosity", list(Verbosity))
def test_secrets_are_never_logged(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve, verbosity: Verbosity
) -> None:
    base = cheroot_serve(
        DebugFilter(dav_app, verbosity=verbosity, headers=["Authorization", "X-Api-Key"])
        if verbosity == Verbosity.SUMMARY
        else DebugFilter(dav_app, verbosity=verbosity, redact=["X-Api-Key"])
    )
    basic = base64.b64encode(f"ann:{SECRET}".encode()).decode()
    headers = {
        "Authorization": f"Basic {basic}",
        "Proxy-Authorization": f"Basic {basic}",
        "Cookie": f"session={SECRET}",
        "X-Api-Key": SECRET,
        "Content-Type": "text/xml",
    }
    assert fetch(base, "/", "PROPFIND", headers, PROPFIND).status == 207
    text = "\n".join(messages(caplog))
    assert SECRET not in text
    assert basic not in text
    if verbosity >= Verbosity.HEADERS:
        for name in ("Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key", "Set-Cookie"):
            assert f"    {name}: <redacted>" in text
    if verbosity == Verbosity.BODIES:
        assert "<propfind" in text


def test_a_header_chosen_for_logging_is_still_redacted(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve
) -> None:
    base = cheroot_serve(DebugFilter(hello, headers=["authorization", "cookie"]))
    fetch(base, "/", headers={"Authorization": f"Bearer {SECRET}", "Cookie": SECRET})
    request = messages(caplog)[0]
    assert request.splitlines()[1:] == ["    Authorization: <redacted>", "    Cookie: <redacted>"]


def test_xml_bodies_at_the_highest_verbosity(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve
) -> None:
    base = cheroot_serve(DebugFilter(dav_app, verbosity=Verbosity.BODIES))
    assert fetch(base, "/", "PROPFIND", {"Content-Type": "text/xml"}, PROPFIND).status == 207
    request, request_body, response, response_body, _ = messages(caplog)
    assert request.startswith("#1 PROPFIND / HTTP/1.1\n")
    assert request_body.splitlines() == [
        f"#1 request body, {len(PROPFIND)} bytes:",
        '    <?xml version="1.0"?>',
        '    <propfind xmlns="DAV:"><allprop/></propfind>',
    ]
    assert response.startswith("#1 response 207 Multi-Status\n")
    assert response_body.splitlines() == [
        f"#1 response body, {len(MULTISTATUS)} bytes:",
        '    <?xml version="1.0"?>',
        '    <multistatus xmlns="DAV:"/>',
    ]


def test_only_xml_bodies_and_only_their_first_bytes(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve
) -> None:
    base = cheroot_serve(DebugFilter(dav_app, verbosity=Verbosity.BODIES, body_bytes=10))
    fetch(base, "/", "PROPFIND", {"Content-Type": "application/octet-stream"}, PROPFIND)
    logged = messages(caplog)
    assert [message.split(",")[0] for message in logged if " body" in message] == [
        "#1 response body"
    ]
    assert logged[2] == "#1 response body, first 10 bytes:\n    <?xml vers"
    fetch(base, "/", "PROPFIND", {"Content-Type": "application/davmount+xml"}, PROPFIND)
    assert "#2 request body, first 10 bytes:\n    <?xml vers" in messages(caplog, done=2)


def reads_ten(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    data = environ["wsgi.input"].read(10)
    start_response("200 OK", [("Content-Type", "text/xml")])
    return [data]


def test_never_reads_more_than_the_application(
    caplog: pytest.LogCaptureFixture, send: Send
) -> None:
    stream = io.BytesIO(PROPFIND)
    environ = {"wsgi.input": stream, "CONTENT_TYPE": "text/xml"}
    app = DebugFilter(reads_ten, verbosity=Verbosity.BODIES)
    answer = send(app, "/", "PUT", environ=environ, CONTENT_LENGTH=str(len(PROPFIND)))
    assert answer.body == PROPFIND[:10]
    assert stream.tell() == 10
    assert "#1 request body, first 10 bytes:\n    <?xml vers" in messages(caplog)


def test_the_request_body_is_logged_as_it_is_read(caplog: pytest.LogCaptureFixture) -> None:
    lines = [b"<a>\n", b"<b/>\n", b"</a>\n"]
    seen: list[list[str]] = []

    def reading(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        stream = environ["wsgi.input"]
        got = [stream.readline(), *stream.readlines(), stream.read(0), stream.read()]
        seen.append([record.getMessage() for record in caplog.records])
        start_response("204 No Content", [])
        return [b"".join(got)]

    environ: WSGIEnvironment = {"REQUEST_METHOD": "PUT", "CONTENT_TYPE": "image/svg+xml"}
    environ["wsgi.input"] = io.BytesIO(b"".join(lines))
    body = DebugFilter(reading, verbosity=3)(environ, lambda *args: lambda data: None)
    assert list(body) == [b"".join(lines)]
    assert seen[0][1] == "#1 request body, 14 bytes:\n    <a>\n    <b/>\n    </a>"


def test_streamed_answers_stay_streamed(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve
) -> None:
    app_log = logging.getLogger("test.app")
    client_has_the_first = threading.Event()
    waited: list[bool] = []

    def streaming(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "application/xml")])
        app_log.warning("first piece out")
        yield b"<first/>\n"
        waited.append(client_has_the_first.wait(30))
        app_log.warning("second piece out")
        yield b"<second/>\n"

    base = cheroot_serve(DebugFilter(streaming, verbosity=Verbosity.BODIES, body_bytes=5))
    with connect(base) as connection:
        connection.request("GET", "/stream")
        response = connection.getresponse()
        assert response.readline() == b"<first/>\n"
        so_far = [record.getMessage() for record in caplog.records]
        assert "second piece out" not in so_far
        assert not any(" done: " in message for message in so_far)
        client_has_the_first.set()
        assert response.read() == b"<second/>\n"
    messages(caplog)
    order = [record.getMessage().split("\n")[0] for record in caplog.records]
    assert waited == [True]
    assert order[:-1] == [
        "#1 GET /stream HTTP/1.1",
        "#1 response 200 OK",
        "first piece out",
        "#1 response body, first 5 bytes:",
        "second piece out",
    ]
    assert order[-1].startswith("#1 done: 200 OK, 19 bytes sent in ")


class CountingBody:
    """A body that counts the calls of its ``close``."""

    def __init__(self) -> None:
        self.closes = 0

    def __iter__(self) -> Iterator[bytes]:
        yield b"<x/>"

    def close(self) -> None:
        self.closes += 1


def test_close_reaches_the_application_exactly_once(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve
) -> None:
    bodies: list[CountingBody] = []

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        bodies.append(CountingBody())
        return bodies[-1]

    base = cheroot_serve(DebugFilter(app, verbosity=Verbosity.BODIES))
    assert fetch(base).body == b"<x/>"
    messages(caplog)
    assert bodies[0].closes == 1
    body = DebugFilter(app)({"REQUEST_METHOD": "GET"}, lambda *args: lambda data: None)
    body.close()  # type: ignore[attr-defined]  # the filter's body has close()
    body.close()  # type: ignore[attr-defined]
    assert bodies[1].closes == 1


def test_file_wrapper_bodies_still_work(
    caplog: pytest.LogCaptureFixture, serve: Callable[..., str]
) -> None:
    opened: list[io.BufferedReader] = []

    def sending(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/x-python")])
        opened.append(open(__file__, "rb"))  # noqa: SIM115  # closed by the file wrapper
        wrapper: Iterable[bytes] = environ["wsgi.file_wrapper"](opened[0], 4096)
        return wrapper

    with open(__file__, "rb") as source:
        expected = source.read()
    reply = fetch(serve(DebugFilter(sending)))
    assert reply.body == expected
    assert f"#1 done: 200 OK, {len(expected)} bytes sent in " in messages(caplog)[-1]
    assert opened[0].closed


def test_methods_and_paths_select_the_requests_logged(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve
) -> None:
    by_method = cheroot_serve(DebugFilter(hello, verbosity=1, methods={"PROPFIND", "LOCK"}))
    by_path = cheroot_serve(DebugFilter(hello, verbosity=1, paths=["/docs/*", "*.xml"]))
    for base, path, method in [
        (by_method, "/a", "GET"),
        (by_method, "/b", "PROPFIND"),
        (by_method, "/c", "PROPPATCH"),
        (by_path, "/docs", "GET"),
        (by_path, "/docs/a/b", "GET"),
        (by_path, "/other", "GET"),
        (by_path, "/x.xml", "DELETE"),
        (by_path, "/caf%C3%A9.xml", "GET"),
        (by_path, "/caf%E9.xml", "GET"),
        (by_path, "/Docs/a", "GET"),
    ]:
        assert fetch(base, path, method).status == 200
    logged = [message for message in messages(caplog, done=5) if " done: " not in message]
    assert logged == [
        "#1 PROPFIND /b HTTP/1.1",
        "#1 GET /docs/a/b HTTP/1.1",
        "#2 DELETE /x.xml HTTP/1.1",
        "#3 GET /café.xml HTTP/1.1",
        "#4 GET /caf\\xe9.xml HTTP/1.1",
    ]


def test_filtered_out_or_disabled_it_only_calls_the_application() -> None:
    body = [b"as it is"]
    given: list[object] = []

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        given.append(start_response)
        return body

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        return lambda data: None

    quiet = logging.getLogger("test.quiet")
    quiet.setLevel(logging.INFO)
    environ: WSGIEnvironment = {"REQUEST_METHOD": "GET", "PATH_INFO": "/"}
    assert DebugFilter(app, logger=quiet)(environ, start_response) is body
    assert DebugFilter(app, methods=["PUT"])(environ, start_response) is body
    odd: WSGIEnvironment = {"REQUEST_METHOD": ["PUT"]}
    assert DebugFilter(app, methods=["PUT"])(odd, start_response) is body
    assert DebugFilter(app, paths=["/a*"])(environ, start_response) is body
    assert given == [start_response] * 4
    assert DebugFilter(app)(environ, start_response) is not body


def request_records(caplog: pytest.LogCaptureFixture, done: int) -> list[str]:
    return [message for message in messages(caplog, done) if re.match(r"#\d+ GET ", message)]


def test_a_path_that_is_not_utf8_or_forges_a_line(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve
) -> None:
    base = cheroot_serve(DebugFilter(hello))
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as client:
        client.sendall(b"GET /caf%E9%FF HTTP/1.1\r\nHost: x\r\nX-Bin: \xff\x01\r\n\r\n")
        assert client.recv(65536).startswith(b"HTTP/1.1 200 OK\r\n")
    first = request_records(caplog, 1)[0].splitlines()
    assert first[0] == "#1 GET /caf\\xe9\\xff HTTP/1.1"
    assert "    X-Bin: \\xff\\x01" in first
    assert fetch(base, "/a%0A%2399%20GET%20/admin%1B[31m").body == b"hello"
    second = request_records(caplog, 2)[1].splitlines()
    assert second[0] == "#2 GET /a\\n#99 GET /admin\\x1b[31m HTTP/1.1"
    every_line = [line for message in messages(caplog, 2) for line in message.splitlines()]
    assert not [line for line in every_line if line.startswith("#99")]


class Recorder:
    """A ``start_response`` that keeps what it was given and what was written."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []
        self.written: list[bytes] = []

    def __call__(self, *args: object) -> Callable[[bytes], object]:
        self.calls.append(args)
        return self.written.append


def call(app: WSGIApplication, environ: WSGIEnvironment, start: Recorder) -> bytes:
    body = app(environ, start)
    try:
        return b"".join(body)
    finally:
        body.close()  # type: ignore[attr-defined]  # the filter's body has close()


def test_garbage_headers_change_nothing(caplog: pytest.LogCaptureFixture) -> None:
    headers: list[object] = [
        ("X-Number", 42),
        ("Content-Type", None),
        (b"Set-Cookie", SECRET),
        ("set-cookie ", SECRET),
        ("Cookie", SECRET, "three"),
        None,
    ]

    def odd(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
        start_response("299 \x00Odd", headers)
        return [b"ok"]

    environ: WSGIEnvironment = {
        "REQUEST_METHOD": b"GET",
        "PATH_INFO": 7,
        "HTTP_X_NUMBER": 42,
        "HTTP_X_SNOWMAN": "\u2603\r\n",
        "CONTENT_TYPE": None,
        "CONTENT_LENGTH": "\u00b2",
        "wsgi.input": io.BytesIO(b"<x/>"),
        3: "not a name",  # type: ignore[dict-item]  # a broken server's environ
    }
    start = Recorder()
    app = DebugFilter(odd, verbosity=Verbosity.BODIES)
    assert call(app, environ, start) == b"ok"
    assert start.calls == [("299 \x00Odd", headers, None)]
    request, response, done = messages(caplog)
    assert request.splitlines() == [
        "#1 b'GET'  -",
        "    X-Number: 42",
        "    X-Snowman: \u2603\\r\\n",
        "    Content-Length: \\xb2",
    ]
    assert response.splitlines()[:5] == [
        "#1 response 299 \\x00Odd",
        "    X-Number: 42",
        "    Content-Type: None",
        "    b'Set-Cookie': <redacted>",
        "    set-cookie : <redacted>",
    ]
    assert response.splitlines()[5:] == [
        "    <not a (name, value) pair: tuple>",
        "    <not a (name, value) pair: NoneType>",
    ]
    assert SECRET not in caplog.text
    assert done.startswith("#1 done: 299 \\x00Odd, 2 bytes sent in ")


def test_body_items_that_are_not_bytes_are_the_servers_to_refuse(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def wrong(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[object]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return ["<text/>", b"<bytes/>"]

    app = DebugFilter(wrong, verbosity=3)  # type: ignore[arg-type]  # yields a str on purpose
    body = app({"REQUEST_METHOD": "GET"}, Recorder())
    assert list(body) == ["<text/>", b"<bytes/>"]
    body.close()  # type: ignore[attr-defined]  # the filter's body has close()
    logged = messages(caplog)
    assert logged[2] == "#1 response body, 8 bytes:\n    <bytes/>"
    assert logged[3].startswith("#1 done: 200 OK, 8 bytes sent in ")


def test_headers_that_are_not_a_list(caplog: pytest.LogCaptureFixture) -> None:
    def odd(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
        start_response("200 OK", 42)
        return [b"ok"]

    start = Recorder()
    assert call(DebugFilter(odd, verbosity=3), {"REQUEST_METHOD": "GET"}, start) == b"ok"
    assert start.calls == [("200 OK", 42, None)]
    assert messages(caplog)[1] == "#1 response 200 OK\n    <headers that are not a list: int>"


class Broken(Exception):
    """Raised by the parts of an application that fail on purpose."""

    def __str__(self) -> str:
        raise RuntimeError("and cannot be printed either")


def test_failures_pass_through_unchanged(caplog: pytest.LogCaptureFixture) -> None:
    failure = Broken()

    def raising(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        raise failure

    with pytest.raises(Broken) as raised:
        DebugFilter(raising)({"REQUEST_METHOD": "GET"}, Recorder())
    assert raised.value is failure
    assert re.fullmatch(
        r"#1 the application raised Broken: <unprintable> after \d+\.\d ms", messages(caplog, 0)[-1]
    )


def test_a_body_or_a_close_that_raises(caplog: pytest.LogCaptureFixture) -> None:
    closes: list[int] = []

    class Failing:
        def __iter__(self) -> Iterator[bytes]:
            yield b"<a/>"
            raise KeyError("in the body")

        def close(self) -> None:
            closes.append(1)
            raise OSError("in close")

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])
        return Failing()

    body = DebugFilter(app, verbosity=Verbosity.BODIES)({"REQUEST_METHOD": "GET"}, Recorder())
    pieces: list[bytes] = []
    with pytest.raises(KeyError, match="in the body"):
        pieces.extend(body)
    assert pieces == [b"<a/>"]
    with pytest.raises(OSError, match="in close"):
        body.close()  # type: ignore[attr-defined]  # the filter's body has close()
    body.close()  # type: ignore[attr-defined]
    assert closes == [1]
    logged = messages(caplog)
    assert logged[2:] == [
        "#1 the body raised KeyError: 'in the body' after 4 bytes",
        "#1 close() raised OSError: in close",
        "#1 response body, first 4 bytes:\n    <a/>",
        logged[-1],
    ]
    assert logged[-1].startswith("#1 done: 200 OK, 4 bytes sent in ")


def test_an_input_that_raises(caplog: pytest.LogCaptureFixture) -> None:
    failure = ConnectionResetError("client gone")

    class Cut(io.RawIOBase):
        def read(self, size: int = -1) -> bytes:
            raise failure

    def reading(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ["wsgi.input"].read(100)
        return []

    environ: WSGIEnvironment = {"CONTENT_TYPE": "text/xml", "wsgi.input": Cut()}
    with pytest.raises(ConnectionResetError) as raised:
        DebugFilter(reading, verbosity=Verbosity.BODIES)(environ, Recorder())
    assert raised.value is failure
    assert messages(caplog, 0)[-1].startswith("#1 the application raised ConnectionResetError")


def test_the_write_callable_is_counted(caplog: pytest.LogCaptureFixture) -> None:
    def writing(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        write = start_response("200 OK", [("Content-Type", "text/xml")])
        write(b"<early/>")
        return [b"<late/>"]

    start = Recorder()
    assert call(DebugFilter(writing, verbosity=3), {"REQUEST_METHOD": "GET"}, start) == b"<late/>"
    assert start.written == [b"<early/>"]
    logged = messages(caplog)
    assert logged[2] == "#1 response body, 15 bytes:\n    <early/><late/>"
    assert logged[3].startswith("#1 done: 200 OK, 15 bytes sent in ")


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"verbosity": 0}, ValueError, "verbosity must be 1, 2 or 3, not 0"),
        ({"verbosity": 4}, ValueError, "verbosity must be 1, 2 or 3"),
        ({"verbosity": True}, ValueError, "verbosity must be 1, 2 or 3"),
        ({"verbosity": "3"}, ValueError, "verbosity must be 1, 2 or 3"),
        ({"body_bytes": 0}, ValueError, "body_bytes must be a positive int, not 0"),
        ({"body_bytes": 1.5}, ValueError, "body_bytes must be a positive int"),
        ({"methods": "PROPFIND"}, TypeError, "methods must be a collection of strings"),
        ({"paths": "/docs/*"}, TypeError, "paths must be a collection of strings"),
        ({"redact": "X-Key"}, TypeError, "redact must be a collection of strings"),
        ({"headers": "Depth"}, TypeError, 'headers must be a collection of names or "\\*"'),
    ],
)
def test_bad_settings_are_refused(
    options: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        DebugFilter(hello, **options)  # type: ignore[arg-type]  # wrong on purpose


def test_verbosity_as_a_number() -> None:
    assert DebugFilter(hello, verbosity=3).verbosity is Verbosity.BODIES
    assert DebugFilter(hello).verbosity is Verbosity.HEADERS
