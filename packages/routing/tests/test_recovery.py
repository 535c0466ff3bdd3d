"""HTTP state handlers, error handlers in registration order, and the fallbacks when they fail."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest

from shallot.http import HTTPException, Response, abort
from shallot.routing import METHOD_POST, App, RoutedRequest

if TYPE_CHECKING:
    from shallot.testing import Call


class AppError(Exception):
    """The base of an app's own errors."""


class NotReady(AppError):
    """A more specific one."""


def crashing_app(error: Exception) -> App:
    app = App()

    def crash(req: RoutedRequest) -> str:
        raise error

    app.set_route("/", crash, ["GET", "POST"])
    return app


def test_state_handlers_answer_the_apps_own_states(call: Call) -> None:
    app = App(max_path_length=20)
    app.set_route("/only-get", lambda req: "")
    app.set_route("/crash", lambda req: str(1 / 0))
    for code in (400, 404, 405, 414, 500):
        app.set_http_state(
            code, lambda req, code=code: (f"custom {code} for {req.path}", "text/plain")
        )
    expected = {
        "/a/../b": 400,
        "/missing": 404,
        "/" + "x" * 30: 414,
        "/crash": 500,
    }
    for target, code in expected.items():
        reply = call(app, target)
        assert reply.status == code, target
        assert reply.body.startswith(f"custom {code} for /".encode()), target
    reply = call(app, "/only-get", "POST")
    assert (reply.status, reply.body) == (405, b"custom 405 for /only-get")
    assert reply.headers["Allow"] == "GET, HEAD, OPTIONS"  # added to the handler's response


def test_state_handlers_by_method_and_their_own_status(call: Call) -> None:
    app = App()

    @app.http_state(404, METHOD_POST)
    def post_not_found(req: RoutedRequest) -> tuple[str, str, None, int]:
        return "gone", "text/plain", None, 410

    app.set_http_state(
        404, lambda req: Response("elsewhere", status_code=302, headers={"Location": "/"}), "GET"
    )
    assert call(app, "/x", "POST").status == 410
    assert call(app, "/x").headers["Location"] == "/"
    assert call(app, "/x", "HEAD").status == 302  # HEAD falls back to the GET handler
    assert call(app, "/x", "PUT").body == b"404 Not Found\n"
    assert set(app.states[404]) == {"GET", "POST"}
    app.pop_http_state(404, METHOD_POST)
    assert call(app, "/x", "POST").status == 404
    with pytest.raises(KeyError):
        app.pop_http_state(404, METHOD_POST)
    app.pop_http_state(404, "GET")
    assert 404 not in app.states


def test_state_handler_that_fails_is_a_plain_500(
    call: Call, caplog: pytest.LogCaptureFixture
) -> None:
    app = App()
    app.set_http_state(404, lambda req: str(1 / 0))
    app.set_http_state(405, lambda req: abort(418))
    app.set_route("/a", lambda req: "")
    with caplog.at_level(logging.ERROR, logger="shallot.routing"):
        reply = call(app, "/missing")
    assert (reply.status, reply.body) == (500, b"500 Internal Server Error\n")
    assert "GET /missing: the 404 handler failed" in caplog.text
    assert call(app, "/a", "POST").status == 418


def test_state_registration_is_checked() -> None:
    app = App()
    with pytest.raises(ValueError, match="400-599"):
        app.set_http_state(302, lambda req: "")
    with pytest.raises(TypeError, match="must be int"):
        app.set_http_state(True, lambda req: "")


def test_error_handlers_are_tried_in_registration_order(call: Call) -> None:
    app = crashing_app(NotReady("later"))
    app.set_error_handler(NotReady, lambda req, error: f"not ready: {error}")
    app.set_error_handler(AppError, lambda req, error: "app error")
    assert call(app).body == b"not ready: later"

    app = crashing_app(NotReady("later"))
    app.set_error_handler(AppError, lambda req, error: "app error")  # a base first catches all
    app.set_error_handler(NotReady, lambda req, error: "never")
    assert call(app).body == b"app error"
    assert [item.error_type for item in app.error_handlers] == [AppError, NotReady]


def test_error_handlers_by_method(call: Call) -> None:
    app = crashing_app(KeyError("k"))

    @app.error_handler(KeyError, "POST")
    def on_post(req: RoutedRequest, error: KeyError) -> str:
        return f"post {error.args[0]}"

    assert call(app, method="POST").body == b"post k"
    assert call(app).status == 500
    app.pop_error_handler(KeyError)
    assert call(app, method="POST").status == 500
    with pytest.raises(KeyError):
        app.pop_error_handler(KeyError)


def test_error_handler_answers_with_http_exceptions(call: Call) -> None:
    app = crashing_app(LookupError("no such thing"))
    app.set_error_handler(LookupError, lambda req, error: abort(404, str(error)))
    reply = call(app)
    assert (reply.status, reply.body) == (404, b"404 Not Found\n\nno such thing\n")


@pytest.mark.parametrize("failure", ["raise", "unusable"])
def test_error_handler_that_fails_is_a_plain_500(
    call: Call, caplog: pytest.LogCaptureFixture, failure: str
) -> None:
    app = crashing_app(ValueError("first"))
    app.debug = True  # even in debug mode: the fallback of a fallback stays plain
    app.set_http_state(500, lambda req: "the 500 page")

    def handler(req: RoutedRequest, error: ValueError) -> str:
        if failure == "raise":
            raise RuntimeError("second")
        return object()  # type: ignore[return-value]  # what is under test

    app.set_error_handler(ValueError, handler)
    after: list[int] = []

    def record(req: RoutedRequest, response: Response) -> Response:
        after.append(response.status_code)
        return response

    app.add_after_response(record)  # type: ignore[arg-type]  # a Response is a BaseResponse
    with caplog.at_level(logging.ERROR, logger="shallot.routing"):
        reply = call(app)
    assert (reply.status, reply.body) == (500, b"500 Internal Server Error\n")
    assert after == [500]  # after hooks still ran
    assert "GET /: error handler" in caplog.text
    assert "failed on ValueError('first')" in caplog.text


def test_unhandled_errors_use_the_500_state_handler(
    call: Call, caplog: pytest.LogCaptureFixture
) -> None:
    app = crashing_app(OSError("disk"))
    app.set_http_state(500, lambda req: ("sorry", "text/plain"))
    with caplog.at_level(logging.ERROR, logger="shallot.routing"):
        reply = call(app)
    assert (reply.status, reply.body) == (500, b"sorry")
    assert "GET /: unhandled OSError" in caplog.text


def test_error_registration_is_checked() -> None:
    app = App()
    with pytest.raises(TypeError, match="not an exception type"):
        app.set_error_handler(int, lambda req, error: "")
    with pytest.raises(ValueError, match="its own response"):
        app.set_error_handler(HTTPException, lambda req, error: "")
