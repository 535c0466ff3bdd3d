"""accept_method, secure and response_transforms on route handlers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.routing import (
    METHOD_ALL,
    METHOD_GET_POST,
    App,
    RoutedRequest,
    accept_method,
    response_transforms,
    secure,
)

if TYPE_CHECKING:
    from shallot.http import BaseResponse, JSONLike
    from shallot.testing import Call


def test_accept_method(call: Call) -> None:
    app = App()

    @app.route("/report/<id:int>", METHOD_ALL)
    @accept_method(METHOD_GET_POST)
    def report(req: RoutedRequest, id: int) -> str:
        return f"report {id} by {req.method}"

    @app.route("/exact", METHOD_ALL)
    @accept_method("PUT")
    def exact(req: RoutedRequest) -> str:
        return "put"

    assert call(app, "/report/3", "POST").body == b"report 3 by POST"
    assert call(app, "/report/3", "HEAD").status == 200
    reply = call(app, "/report/3", "DELETE")
    assert (reply.status, reply.headers["Allow"]) == (405, "GET, HEAD, POST")
    assert call(app, "/exact", "PUT").body == b"put"
    assert call(app, "/exact").headers["Allow"] == "PUT"
    assert report.__name__ == "report"  # so url_for finds it by name
    assert app.url_for("report", id=3) == "/report/3"


def test_secure(call: Call) -> None:
    app = App()

    @app.route("/account", METHOD_GET_POST)
    @secure()
    def account(req: RoutedRequest) -> str:
        return "private"

    @app.route("/dev")
    @secure(enabled=False)
    def dev(req: RoutedRequest) -> str:
        return "dev"

    https = {"wsgi.url_scheme": "https", "HTTPS": "on"}
    assert call(app, "/account", environ=https).body == b"private"
    reply = call(app, "/account?tab=1", headers={"Host": "example.org"})
    assert (reply.status, reply.headers["Location"]) == (301, "https://example.org/account?tab=1")
    reply = call(app, "/account", environ={"SCRIPT_NAME": "/my app", "HTTP_HOST": "h"})
    assert reply.headers["Location"] == "https://h/my%20app/account"
    assert call(app, "/account", "POST").status == 403
    assert call(app, "/dev").body == b"dev"
    assert dev.__name__ == "dev"


def test_response_transforms_apply_in_order_to_a_made_response(call: Call) -> None:
    app = App()

    def first(request: RoutedRequest, response: BaseResponse) -> BaseResponse:
        response.headers.add("X-Step", "first")
        return response

    def second(request: RoutedRequest, response: BaseResponse) -> BaseResponse:
        response.headers.add("X-Step", f"second on {response.content_type}")
        return response

    @app.route("/data/<n:int>")
    @response_transforms(first, second)
    def data(req: RoutedRequest, n: int) -> dict[str, JSONLike]:
        return {"n": n}

    reply = call(app, "/data/2")
    assert reply.body == b'{"n":2}'
    assert reply.headers.get_all("X-Step") == ["first", "second on application/json; charset=utf-8"]
    with pytest.raises(TypeError, match="at least one"):
        response_transforms()
