"""Default handlers and before/after-response hooks, with PoorWSGI's semantics."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest

from shallot.http import abort
from shallot.routing import METHOD_GET_POST, METHOD_POST, App, RoutedRequest

if TYPE_CHECKING:
    from shallot.http import BaseResponse
    from shallot.testing import Call


def test_default_handlers(call: Call) -> None:
    app = App()
    app.set_route("/known", lambda req: "known")

    @app.default(METHOD_GET_POST)
    def fallback(req: RoutedRequest) -> str:
        assert req.route is None
        return f"default for {req.method} {req.path}"

    assert call(app, "/x/y").body == b"default for GET /x/y"
    assert call(app, "/x", "POST").body == b"default for POST /x"
    assert call(app, "/x", "HEAD").headers["Content-Length"] == "19"
    assert call(app, "/x", "PUT").status == 404
    assert call(app, "/known", "POST").status == 405  # a known path keeps its 405
    assert dict(app.defaults) == {"GET": fallback, "HEAD": fallback, "POST": fallback}
    app.pop_default(METHOD_POST)
    assert call(app, "/x", "POST").status == 404
    with pytest.raises(KeyError):
        app.pop_default(METHOD_POST)


def test_before_hooks_run_after_routing(call: Call) -> None:
    app = App()
    seen: list[object] = []
    app.set_route("/open", lambda req: "open")
    app.set_route("/closed", lambda req: "never")

    @app.before_response()
    def guard(req: RoutedRequest) -> None:
        seen.append(req.route.name if req.route else None)
        if req.path == "/closed":
            abort(401, "log in")

    assert call(app, "/open").body == b"open"
    assert call(app, "/closed").status == 401
    assert call(app, "/missing").status == 404
    assert seen == ["<lambda>", "<lambda>", None]
    assert app.before == (guard,)
    with pytest.raises(ValueError, match="already"):
        app.add_before_response(guard)
    app.pop_before_response(guard)
    assert call(app, "/closed").body == b"never"
    with pytest.raises(ValueError, match="is not"):
        app.pop_before_response(guard)


def test_after_hooks_see_every_response(call: Call) -> None:
    app = App()
    app.set_route("/ok", lambda req: "ok")
    app.set_route("/crash", lambda req: str(1 / 0))
    app.set_error_handler(ZeroDivisionError, lambda req, error: ("handled", "text/plain"))

    @app.after_response()
    def stamp(req: RoutedRequest, response: BaseResponse) -> BaseResponse:
        response.headers["X-Stamp"] = f"{req.method} {response.status_code}"
        return response

    @app.after_response()
    def second(req: RoutedRequest, response: BaseResponse) -> BaseResponse:
        response.headers.add("X-Order", "second")
        return response

    for target, status in (("/ok", 200), ("/crash", 200), ("/missing", 404), ("/missing", 404)):
        reply = call(app, target)
        assert reply.status == status
        assert reply.headers["X-Stamp"] == f"GET {status}"
        assert reply.headers.get_all("X-Order") == ["second"]  # a fresh 404 every time
    assert call(app, "/crash").body == b"handled"
    assert app.after == (stamp, second)
    app.pop_after_response(stamp)
    with pytest.raises(ValueError, match="is not"):
        app.pop_after_response(stamp)
    with pytest.raises(ValueError, match="already"):
        app.add_after_response(second)


def test_after_hooks_that_fail(call: Call, caplog: pytest.LogCaptureFixture) -> None:
    app = App()
    app.set_route("/", lambda req: "ok")
    app.set_error_handler(KeyError, lambda req, error: ("key error handled", "text/plain"))
    steps: list[str] = []

    def not_a_response(req: RoutedRequest, response: BaseResponse) -> BaseResponse:
        steps.append("first")
        return "oops"  # type: ignore[return-value]  # what is under test

    def skipped(req: RoutedRequest, response: BaseResponse) -> BaseResponse:
        steps.append("skipped")
        return response

    app.add_after_response(not_a_response)
    app.add_after_response(skipped)
    with caplog.at_level(logging.ERROR, logger="shallot.routing"):
        assert call(app).status == 500
    assert steps == ["first"]
    assert "returned str, not a response" in caplog.text
    app.pop_after_response(not_a_response)

    def raising(req: RoutedRequest, response: BaseResponse) -> BaseResponse:
        raise KeyError("x")

    def aborting(req: RoutedRequest, response: BaseResponse) -> BaseResponse:
        abort(409)

    app.pop_after_response(skipped)
    app.add_after_response(aborting)
    assert call(app).status == 409
    app.pop_after_response(aborting)
    app.add_after_response(raising)
    assert call(app).body == b"key error handled"
