"""A plain WSGI app's answer as a shallot.http response: streamed, closed once, PEP 3333 kept."""

from __future__ import annotations

import gc
import logging
import sys
import threading
from typing import TYPE_CHECKING
from wsgiref.util import setup_testing_defaults

import pytest

from shallot.http import BaseResponse, Response
from shallot.routing import (
    METHOD_ALL,
    App,
    Following,
    Handler,
    Middleware,
    RequestHandler,
    RoutedRequest,
    WSGIAppError,
    WSGIHandler,
    call_wsgi_app,
    response_transforms,
)
from shallot.testing import connect, fetch

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from packages.routing.tests.conftest import RecordingBody
    from shallot.testing import Call, Serve

WAIT = 30.0
"""Seconds to wait for the server to close a body (only ever reached when something is wrong)."""


def fallback_app(legacy: WSGIApplication) -> App:
    """An App with one route of its own, answering everything else with ``legacy``."""
    app = App()
    app.set_route("/own", lambda request: "the App's own route")
    app.set_default(WSGIHandler(legacy), METHOD_ALL)
    return app


def environ_for(path: str = "/", method: str = "GET") -> WSGIEnvironment:
    environ: WSGIEnvironment = {"PATH_INFO": path, "REQUEST_METHOD": method}
    setup_testing_defaults(environ)
    return environ


def ignore_start(
    status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
) -> Callable[[bytes], object]:
    return lambda data: None


def test_a_streamed_body_stays_a_stream_and_is_closed_once(
    serve: Serve, recording: type[RecordingBody]
) -> None:
    gate = threading.Event()
    opened_in_time: list[bool] = []

    def chunks() -> Iterator[bytes]:
        yield b"first;"
        opened_in_time.append(gate.wait(WAIT))
        yield b"second"

    body = recording(chunks())

    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return body

    base = serve(fallback_app(legacy))
    with connect(base) as connection:
        connection.request("GET", "/anything")
        response = connection.getresponse()
        assert response.read(6) == b"first;"  # sent before the app produced the rest
        gate.set()
        assert response.read() == b"second"
    assert opened_in_time == [True]
    assert body.closed.wait(WAIT)
    assert body.closes == 1


def test_status_and_headers_repeated_set_cookie_included(serve: Serve) -> None:
    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response(
            "201 Made It",
            [
                ("Content-Type", "application/json"),
                ("Set-Cookie", "a=1; Path=/"),
                ("Set-Cookie", "b=2; Path=/"),
                ("X-Legacy", "yes"),
            ],
        )
        return [b'{"made": true}']

    base = serve(fallback_app(legacy))
    reply = fetch(base, "/create", "POST", body=b"x")
    assert (reply.status, reply.reason, reply.body) == (201, "Created", b'{"made": true}')
    assert reply.headers.get_all("Set-Cookie") == ["a=1; Path=/", "b=2; Path=/"]
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.headers["X-Legacy"] == "yes"
    assert fetch(base, "/own").body == b"the App's own route"


def test_write_comes_before_the_iterable_and_in_order_while_it_runs(serve: Serve) -> None:
    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"one,")
        write(b"two,")

        def rest() -> Iterator[bytes]:
            yield b"three,"
            write(b"four,")
            yield b"five"
            write(b",six")

        return rest()

    assert fetch(serve(fallback_app(legacy)), "/w").body == b"one,two,three,four,five,six"


def test_an_app_calling_start_response_lazily_from_its_generator(
    serve: Serve, recording: type[RecordingBody]
) -> None:
    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def generate() -> Iterator[bytes]:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            yield b"not "
            yield b"here"

        return recording(generate())

    reply = fetch(serve(fallback_app(legacy)), "/lazy")
    assert (reply.status, reply.body) == (404, b"not here")


def test_exc_info_before_the_answer_is_sent_replaces_status_and_headers(serve: Serve) -> None:
    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-First", "1")])
        try:
            raise LookupError("the legacy app failed")
        except LookupError:
            start_response("503 Service Unavailable", [("Retry-After", "5")], sys.exc_info())
        return [b"legacy error page"]

    reply = fetch(serve(fallback_app(legacy)), "/fails")
    assert (reply.status, reply.body) == (503, b"legacy error page")
    assert reply.headers["Retry-After"] == "5"
    assert "X-First" not in reply.headers


def test_exc_info_once_the_answer_is_sent_re_raises_and_the_body_is_closed_once(
    recording: type[RecordingBody],
) -> None:
    bodies: list[RecordingBody] = []

    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def generate() -> Iterator[bytes]:
            start_response("200 OK", [("Content-Type", "text/plain")])
            yield b"part"
            try:
                raise KeyError("late failure")
            except KeyError:
                start_response("500 Internal Server Error", [], sys.exc_info())
            yield b"never"

        bodies.append(recording(generate()))
        return bodies[-1]

    answer = fallback_app(legacy)(environ_for("/late"), ignore_start)
    pieces = iter(answer)
    assert next(pieces) == b"part"
    with pytest.raises(KeyError, match="late failure"):
        next(pieces)
    getattr(answer, "close")()  # noqa: B009  # the server's duty, done by hand here
    getattr(answer, "close")()  # noqa: B009  # a second close changes nothing
    assert [body.closes for body in bodies] == [1]


def test_a_dropped_answer_is_closed_once(recording: type[RecordingBody]) -> None:
    body = recording([b"never sent"])

    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [])
        return body

    app = fallback_app(legacy)
    app.add_after_response(lambda request, response: Response("replaced"))
    answer = app(environ_for("/dropped"), ignore_start)
    assert list(answer) == [b"replaced"]
    assert body.closes == 1


def test_a_dropped_lazy_answer_is_closed_at_once_not_by_the_garbage_collector(
    recording: type[RecordingBody],
) -> None:
    bodies: list[RecordingBody] = []

    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def generate() -> Iterator[bytes]:  # holds start_response, as generator apps do
            start_response("200 OK", [])
            yield b"never sent"

        bodies.append(recording(generate()))
        return bodies[-1]

    app = fallback_app(legacy)
    app.add_after_response(lambda request, response: Response("replaced"))
    gc.disable()
    try:
        assert list(app(environ_for("/dropped"), ignore_start)) == [b"replaced"]
        assert [body.closes for body in bodies] == [1]
    finally:
        gc.enable()


def test_head_sends_no_body_and_closes_once(serve: Serve, recording: type[RecordingBody]) -> None:
    body = recording([b"a body HEAD must not carry"])

    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "26")])
        return body

    reply = fetch(serve(fallback_app(legacy)), "/head", "HEAD")
    assert (reply.status, reply.body) == (200, b"")
    assert reply.headers["Content-Length"] == "26"
    assert body.closed.wait(WAIT)
    assert body.closes == 1


def broken_twice(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [])
    start_response("200 OK", [])
    return [b""]


def status_app(status: str, headers: list[tuple[str, str]]) -> WSGIApplication:
    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response(status, headers)
        return [b"x"]

    return legacy


@pytest.mark.parametrize(
    ("legacy", "reason"),
    [
        (lambda environ, start_response: [b"no start_response"], "without calling start_response"),
        (broken_twice, "start_response was called twice"),
        (status_app("abc", []), "malformed status 'abc'"),
        (status_app("99 Too Low", []), "malformed status"),
        (status_app("200OK", []), "malformed status"),
        (status_app("600 Too High", []), "malformed status"),
        (status_app("200 OK", [("Connection", "close")]), "hop-by-hop header 'Connection'"),
        (status_app("200 OK", [("Transfer-Encoding", "chunked")]), "hop-by-hop"),
        (status_app("200 OK", [("X-Bad", "a\r\nSet-Cookie: x=1")]), "unusable headers"),
        (status_app("200 OK", [("Bad Name", "x")]), "unusable headers"),
        (status_app("200 OK", {"X-A": "1"}), "not a list"),  # type: ignore[arg-type]  # the fault tested
    ],
)
def test_an_app_breaking_pep_3333_is_a_logged_500(
    legacy: WSGIApplication,
    reason: str,
    call: Call,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, "shallot.routing"):
        reply = call(fallback_app(legacy), "/broken")
    assert reply.status == 500
    assert reason.encode() not in reply.body  # nothing internal reaches the client
    assert "unhandled WSGIAppError" in caplog.text
    assert reason in caplog.text


@pytest.mark.parametrize("headers", [[("Connection", "close")], [("X-Bad", "a\nb")]])
def test_what_a_broken_app_returned_is_closed_once(
    headers: list[tuple[str, str]], recording: type[RecordingBody]
) -> None:
    body = recording([b"x"])

    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", headers)
        return body

    with pytest.raises(WSGIAppError):
        call_wsgi_app(legacy, environ_for())
    assert body.closes == 1


def test_a_failing_first_step_of_a_lazy_app_is_closed_once(recording: type[RecordingBody]) -> None:
    def failing() -> Iterator[bytes]:
        raise OSError("the legacy app's disk is gone")
        yield b"never"

    body = recording(failing())
    with pytest.raises(OSError, match="disk is gone"):
        call_wsgi_app(lambda environ, start_response: body, environ_for())
    assert body.closes == 1


def test_an_exception_from_the_app_goes_to_the_apps_error_handlers(
    call: Call,
) -> None:
    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        raise LookupError("no such thing")

    app = fallback_app(legacy)
    app.set_error_handler(LookupError, lambda request, error: ("gone", None, None, 410))
    assert call(app, "/x").status == 410


def test_an_iterable_yielding_str_fails_the_stream_and_is_closed_once(
    recording: type[RecordingBody],
) -> None:
    body = recording(["text, not bytes"])  # type: ignore[list-item]  # the fault tested

    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [])
        return body

    answer = call_wsgi_app(legacy, environ_for())(environ_for(), ignore_start)
    with pytest.raises(WSGIAppError, match="yielded str, not bytes"):
        list(answer)
    getattr(answer, "close")()  # noqa: B009  # the server's duty, done by hand here
    assert body.closes == 1


def test_write_refuses_str_and_writing_after_the_body_is_closed() -> None:
    writers: list[Callable[[bytes], object]] = []

    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        write = start_response("200 OK", [])
        writers.append(write)
        with pytest.raises(WSGIAppError, match="given str"):
            write("text")  # type: ignore[arg-type]  # the fault tested
        return [b"body"]

    answer = call_wsgi_app(legacy, environ_for())(environ_for(), ignore_start)
    assert list(answer) == [b"body"]
    getattr(answer, "close")()  # noqa: B009  # the server's duty, done by hand here
    with pytest.raises(WSGIAppError, match="after the body was closed"):
        writers[0](b"late")


def test_middleware_transforms_and_hooks_apply_and_see_the_apps_environ(
    serve: Serve,
) -> None:
    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        environ["legacy.cache"] = "public, max-age=60"
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"legacy"]

    def cache_adapter(options: dict[str, object]) -> Middleware:
        def middleware(request: RoutedRequest, following: Following) -> BaseResponse | None:
            response = following(request)
            policy = request.environ.get("legacy.cache")
            if response is not None and isinstance(policy, str):
                response.headers["Cache-Control"] = policy
            return response

        return middleware

    def tag(request: RoutedRequest, response: BaseResponse) -> BaseResponse:
        response.headers["X-Transformed"] = "yes"
        return response

    app = App(middleware=[cache_adapter])
    app.set_default(response_transforms(tag)(WSGIHandler(legacy)), METHOD_ALL)

    def after(request: RoutedRequest, response: BaseResponse) -> BaseResponse:
        response.headers["X-After"] = "1"
        return response

    app.add_after_response(after)
    reply = fetch(serve(app), "/anything")
    assert reply.body == b"legacy"
    assert reply.headers["Cache-Control"] == "public, max-age=60"
    assert reply.headers["X-Transformed"] == "yes"
    assert reply.headers["X-After"] == "1"


def test_a_wsgi_handler_needs_a_callable_and_type_checks_as_a_handler() -> None:
    with pytest.raises(TypeError, match="must be callable"):
        WSGIHandler("not an app")  # type: ignore[arg-type]  # the fault tested
    handler: RequestHandler = WSGIHandler(status_app("200 OK", []))
    route_handler: Handler = WSGIHandler(status_app("200 OK", []))
    assert repr(handler).startswith("WSGIHandler(")
    assert callable(route_handler)
