"""ErrorPrinter: a 500 without internals (a traceback page only in debug, escaped), one log
record with the request line, and a cut connection once the answer has started."""

from __future__ import annotations

import http.client
import logging
from typing import TYPE_CHECKING
from wsgiref.util import FileWrapper

import pytest

from shallot.http import HTTPException, not_found
from shallot.middleware import ErrorPrinter
from shallot.testing import connect, validated

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from _typeshed.wsgi import WSGIEnvironment

    from packages.middleware.tests.conftest import Send
    from shallot.testing import Serve


def failing(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
    raise RuntimeError("<script>alert('db password hunter2')</script>")


def failing_in_body(
    environ: WSGIEnvironment, start_response: Callable[..., object]
) -> Iterator[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    yield b""
    raise KeyError("hunter2")


def failing_after_start(
    environ: WSGIEnvironment, start_response: Callable[..., object]
) -> Iterator[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    yield b"first part\n"
    raise KeyError("hunter2")


def fine(environ: WSGIEnvironment, start_response: Callable[..., object]) -> Iterator[bytes]:
    start_response("201 Created", [("Content-Type", "text/plain")])
    yield b""
    yield b"a"
    yield b"b"


def records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "shallot.middleware"]


@pytest.mark.parametrize("app", [failing, failing_in_body])
def test_500_without_internals(caplog: pytest.LogCaptureFixture, send: Send, app: object) -> None:
    answer = send(ErrorPrinter(app), "/orders/7", "POST", QUERY_STRING="page=2")  # type: ignore[arg-type]
    assert answer.status == 500
    assert answer.body == b"500 Internal Server Error\n"
    assert answer.header("Content-Type") == "text/plain; charset=utf-8"
    (record,) = records(caplog)
    assert record.levelno == logging.ERROR
    assert "POST /orders/7?page=2" in record.getMessage()
    assert record.exc_info is not None
    assert "hunter2" in str(record.exc_info[1])


def test_debug_page_is_escaped(caplog: pytest.LogCaptureFixture, send: Send) -> None:
    answer = send(ErrorPrinter(failing, debug=True), "/<b>")
    assert answer.status == 500
    assert answer.header("Content-Type") == "text/html; charset=utf-8"
    assert b"<script>" not in answer.body
    assert b"&lt;script&gt;" in answer.body
    assert b"Traceback" in answer.body
    assert b"GET /&lt;b&gt;" in answer.body
    assert len(records(caplog)) == 1


def test_working_app_untouched(caplog: pytest.LogCaptureFixture, send: Send) -> None:
    answer = send(ErrorPrinter(fine), "/")
    assert (answer.status, answer.body) == (201, b"ab")
    empty = send(ErrorPrinter(not_found()), "/")
    assert empty.status == 404
    assert records(caplog) == []


def test_http_exception_is_an_answer(caplog: pytest.LogCaptureFixture, send: Send) -> None:
    def raising(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
        raise HTTPException(409, "taken")

    answer = send(ErrorPrinter(raising), "/")
    assert (answer.status, answer.body) == (409, b"409 Conflict\n\ntaken\n")
    assert records(caplog) == []


def test_file_wrapper_passes_through(send: Send) -> None:
    def sending(environ: WSGIEnvironment, start_response: Callable[..., object]) -> object:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return environ["wsgi.file_wrapper"](open(__file__, "rb"), 4096)

    bodies: list[object] = []
    app = ErrorPrinter(sending)  # type: ignore[arg-type]  # returns a FileWrapper
    answer = send(validated(app, bodies), "/", environ={"wsgi.file_wrapper": FileWrapper})
    assert answer.body.startswith(b'"""ErrorPrinter')
    assert isinstance(bodies[0], FileWrapper)


def test_legacy_write_then_failure_is_raised(caplog: pytest.LogCaptureFixture) -> None:
    written: list[bytes] = []

    def writing(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        assert callable(write)
        write(b"early")
        raise RuntimeError("late")

    def start_response(*args: object) -> Callable[[bytes], object]:
        return written.append

    with pytest.raises(RuntimeError, match="late"):
        ErrorPrinter(writing)({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, start_response)
    assert written == [b"early"]
    assert len(records(caplog)) == 1


def test_failure_after_the_start_cuts_the_connection(
    caplog: pytest.LogCaptureFixture, cheroot_serve: Serve
) -> None:
    base = cheroot_serve(ErrorPrinter(failing_after_start))
    with connect(base) as connection:
        connection.request("GET", "/stream")
        response = connection.getresponse()
        assert response.status == 200
        with pytest.raises(http.client.IncompleteRead) as cut:
            response.read()
    assert cut.value.partial == b"first part\n"
    logged = records(caplog)
    assert len(logged) == 1
    assert "GET /stream" in logged[0].getMessage()
