"""A plain WSGI app mounted at a prefix in the App's chain, under a real server."""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING

import pytest

from shallot.http import BaseResponse, unauthorized
from shallot.routing import App, Following, Middleware, RoutedRequest, WSGIMount, mount_wsgi
from shallot.testing import connect, fetch

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from packages.routing.tests.conftest import RecordingBody
    from shallot.testing import Call, Reply, Serve

WAIT = 30.0
"""Seconds to wait for the server to close a body (only ever reached when something is wrong)."""


def echo(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """A legacy app answering with the paths and query it was given, as JSON."""
    seen = {key: environ.get(key) for key in ("SCRIPT_NAME", "PATH_INFO", "QUERY_STRING")}
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(seen).encode()]


def site(*middleware: Callable[[dict[str, object]], Middleware | None]) -> App:
    app = App(middleware=middleware)
    app.set_route("/", lambda request: "home")
    app.set_route("/legacyx", lambda request: "the App's legacyx")
    return app


def seen(reply: Reply) -> dict[str, str]:
    assert reply.status == 200, reply.body
    result: dict[str, str] = json.loads(reply.body)
    return result


def test_the_prefix_moves_to_script_name_on_segment_boundaries(serve: Serve) -> None:
    base = serve(site(mount_wsgi("/legacy", echo)))
    assert seen(fetch(base, "/legacy")) == {
        "SCRIPT_NAME": "/legacy",
        "PATH_INFO": "",
        "QUERY_STRING": "",
    }
    assert seen(fetch(base, "/legacy/a/b?x=1")) == {
        "SCRIPT_NAME": "/legacy",
        "PATH_INFO": "/a/b",
        "QUERY_STRING": "x=1",
    }
    assert seen(fetch(base, "/legacy/")) == {
        "SCRIPT_NAME": "/legacy",
        "PATH_INFO": "/",
        "QUERY_STRING": "",
    }
    assert fetch(base, "/legacyx").body == b"the App's legacyx"
    assert fetch(base, "/").body == b"home"
    assert fetch(base, "/elsewhere").status == 404


def test_a_non_ascii_prefix_matches_wsgis_latin_1_path(serve: Serve) -> None:
    base = serve(site(mount_wsgi("/caf\u00e9", echo)))
    answer = seen(fetch(base, "/caf%C3%A9/x"))
    assert answer["SCRIPT_NAME"].encode("latin-1").decode("utf-8") == "/caf\u00e9"
    assert answer["PATH_INFO"] == "/x"


def test_the_apps_own_script_name_is_kept_in_front(call: Call) -> None:
    reply = call(site(mount_wsgi("/legacy", echo)), "/legacy/y", environ={"SCRIPT_NAME": "/site"})
    assert seen(reply)["SCRIPT_NAME"] == "/site/legacy"


def test_outer_middleware_and_after_hooks_apply_but_before_hooks_do_not(serve: Serve) -> None:
    before: list[str] = []

    def guard(options: dict[str, object]) -> Middleware:
        def middleware(request: RoutedRequest, following: Following) -> BaseResponse | None:
            if request.environ.get("HTTP_X_TOKEN") != "secret":
                return unauthorized('Bearer realm="legacy"')
            response = following(request)
            if response is not None:
                response.headers["X-Guarded"] = "yes"
            return response

        return middleware

    app = site(guard, mount_wsgi("/legacy", echo))
    app.add_before_response(lambda request: before.append(request.path))

    def after(request: RoutedRequest, response: BaseResponse) -> BaseResponse:
        response.headers["X-After"] = "yes"
        return response

    app.add_after_response(after)
    base = serve(app)
    refused = fetch(base, "/legacy/a")
    assert refused.status == 401
    assert refused.headers["X-After"] == "yes"
    reply = fetch(base, "/legacy/a", headers={"X-Token": "secret"})
    assert seen(reply)["PATH_INFO"] == "/a"
    assert (reply.headers["X-Guarded"], reply.headers["X-After"]) == ("yes", "yes")
    assert before == []
    assert fetch(base, "/", headers={"X-Token": "secret"}).body == b"home"
    assert before == ["/"]


def test_a_mounted_app_streams_and_is_closed_once(
    serve: Serve, recording: type[RecordingBody]
) -> None:
    gate = threading.Event()
    opened_in_time: list[bool] = []

    def chunks() -> Iterator[bytes]:
        yield b"head;"
        opened_in_time.append(gate.wait(WAIT))
        yield b"tail"

    body = recording(chunks())

    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return body

    base = serve(site(mount_wsgi("/stream", legacy)))
    with connect(base) as connection:
        connection.request("GET", "/stream/file")
        response = connection.getresponse()
        assert response.read(5) == b"head;"
        gate.set()
        assert response.read() == b"tail"
    assert opened_in_time == [True]
    assert body.closed.wait(WAIT)
    assert body.closes == 1


def test_dot_segments_under_the_prefix_are_400_and_never_reach_the_app(serve: Serve) -> None:
    calls: list[str] = []

    def legacy(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        calls.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b""]

    base = serve(site(mount_wsgi("/legacy", legacy)))
    for path in ("/legacy/../admin", "/legacy/./x", "/legacy/a/.."):
        assert fetch(base, path).status == 400
    assert calls == []


@pytest.mark.parametrize(
    "prefix", ["", "/", "legacy", "/legacy/", "/a//b", "/a/./b", "/a/../b", "/a\nb", "/a\0"]
)
def test_a_bad_prefix_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="mount prefix"):
        mount_wsgi(prefix, echo)


def test_a_prefix_or_app_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(TypeError, match="prefix must be str"):
        WSGIMount(b"/legacy", echo)  # type: ignore[arg-type]  # the fault tested
    with pytest.raises(TypeError, match="must be callable"):
        WSGIMount("/legacy", None)  # type: ignore[arg-type]  # the fault tested


def test_the_factory_gives_the_same_mount_and_type_checks() -> None:
    factory = mount_wsgi("/legacy", echo)
    options: dict[str, object] = {}
    mount = factory(options)
    assert isinstance(mount, WSGIMount)
    assert factory(options) is mount
    assert repr(mount).startswith("WSGIMount('/legacy', ")
    app: WSGIApplication = App(middleware=[mount_wsgi("/a", echo), mount_wsgi("/b", echo)])
    assert callable(app)
