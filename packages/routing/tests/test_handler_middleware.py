"""Wheezy-shaped handler middleware: factories run once in order, the chain around routing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.http import BaseResponse, Response
from shallot.routing import App, Following, Middleware, RoutedRequest
from shallot.routing.handler_middleware import build_chain

if TYPE_CHECKING:
    from collections.abc import Callable

    from shallot.testing import Call


def tagging(tag: str, log: list[str]) -> Callable[[dict[str, object]], Middleware]:
    """A factory whose middleware records its tag around the rest of the chain."""

    def factory(options: dict[str, object]) -> Middleware:
        log.append(f"factory {tag}")

        def middleware(request: RoutedRequest, following: Following) -> BaseResponse | None:
            log.append(f"before {tag} (route {request.route})")
            response = following(request)
            log.append(f"after {tag}")
            if response is not None:
                response.headers.add("X-Through", tag)
            return response

        return middleware

    return factory


def test_factories_run_once_in_order_and_the_first_middleware_is_outermost(
    call: Call,
) -> None:
    log: list[str] = []

    def setup_only(options: dict[str, object]) -> None:
        log.append("setup")
        options["ready"] = True

    app = App(
        middleware=[tagging("outer", log), setup_only, tagging("inner", log)],
        options={"name": "x"},
    )
    app.set_route("/", lambda req: "routed")
    assert log == ["factory outer", "setup", "factory inner"]
    assert app.options == {"name": "x", "ready": True}
    log.clear()
    reply = call(app)
    assert reply.body == b"routed"
    assert reply.headers.get_all("X-Through") == ["inner", "outer"]
    assert log == [
        "before outer (route None)",  # middleware runs before routing
        "before inner (route None)",
        "after inner",
        "after outer",
    ]


def test_middleware_may_answer_by_itself_or_with_none(call: Call) -> None:
    def factory(options: dict[str, object]) -> Middleware:
        def middleware(request: RoutedRequest, following: Following) -> BaseResponse | None:
            if request.path == "/maintenance":
                return Response("later", "text/plain", status_code=503)
            if request.path == "/hidden":
                return None
            return following(request)

        return middleware

    app = App(middleware=[factory])
    app.set_route("/hidden", lambda req: "never")
    app.set_route("/shown", lambda req: "shown")
    app.set_http_state(404, lambda req: ("custom 404", "text/plain"))
    assert call(app, "/maintenance").status == 503
    assert (call(app, "/hidden").status, call(app, "/hidden").body) == (404, b"custom 404")
    assert call(app, "/shown").body == b"shown"
    assert call(app, "/nowhere").body == b"custom 404"


def test_errors_in_middleware_are_handled_like_handlers(call: Call) -> None:
    def factory(options: dict[str, object]) -> Middleware:
        def middleware(request: RoutedRequest, following: Following) -> BaseResponse | None:
            raise LookupError("from middleware")

        return middleware

    app = App(middleware=[factory])
    app.set_error_handler(LookupError, lambda req, error: str(error))
    assert call(app).body == b"from middleware"


def test_answers_are_fresh_when_middleware_could_change_them(call: Call) -> None:
    log: list[str] = []
    app = App(middleware=[tagging("only", log)])
    app.set_route("/a", lambda req: "")
    for _ in range(3):
        assert call(app, "/missing").headers.get_all("X-Through") == ["only"]
        assert call(app, "/a", "POST").headers.get_all("X-Through") == ["only"]


def test_build_chain_without_middleware_is_the_innermost_itself() -> None:
    def innermost(request: RoutedRequest) -> BaseResponse | None:
        return None

    assert build_chain([], {}, innermost) is innermost
    assert build_chain([lambda options: None], {}, innermost) is innermost
