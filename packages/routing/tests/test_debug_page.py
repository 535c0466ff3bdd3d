"""The debug pages: what /debug-info shows, escaped, and the traceback page."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from shallot.routing import App, RoutedRequest

if TYPE_CHECKING:
    import pytest

    from shallot.http import BaseResponse
    from shallot.testing import Call


def debug_app() -> App:
    app = App(debug=True, options={"theme": "<dark>"})

    @app.route("/user/<name>/<id:int>", ["GET", "POST"], name="user-page")
    def user(req: RoutedRequest, name: str, id: int) -> str:
        return name

    @app.default()
    def fallback(req: RoutedRequest) -> str:
        return "default"

    @app.http_state(404)
    def missing(req: RoutedRequest) -> str:
        return "missing"

    @app.error_handler(KeyError, "POST")
    def on_key(req: RoutedRequest, error: KeyError) -> str:
        return "key"

    @app.before_response()
    def before(req: RoutedRequest) -> None:
        return None

    @app.after_response()
    def after(req: RoutedRequest, response: BaseResponse) -> BaseResponse:
        return response

    app.set_filter("year", "[0-9]{4}", int)
    app.set_route("/boom", lambda req: str(1 / 0))
    return app


def test_debug_info_shows_the_app_and_the_request(call: Call) -> None:
    reply = call(debug_app(), "/debug-info", headers={"X-Probe": "<script>alert(1)</script>"})
    assert reply.status == 200
    assert reply.headers["Cache-Control"] == "no-store"
    page = reply.body.decode()
    for expected in [
        "<td>/user/&lt;name&gt;/&lt;id:int&gt;</td><td>GET, HEAD, POST</td>",
        "debug_app.&lt;locals&gt;.user</td><td>user-page</td>",
        "debug_app.&lt;locals&gt;.fallback</td>",
        "<td>404</td><td>*</td>",
        "<td>builtins.KeyError</td><td>POST</td>",
        "<td>before</td>",
        "<td>after</td>",
        "<td>year</td><td>[0-9]{4}</td><td>builtins.int</td>",
        "<td>theme</td><td>&#x27;&lt;dark&gt;&#x27;</td>",
        "<td>X-Probe</td><td>&lt;script&gt;alert(1)&lt;/script&gt;</td>",
        "<td>PATH_INFO</td><td>&#x27;/debug-info&#x27;</td>",
    ]:
        assert expected in page, expected
    assert "<script>" not in page


def test_debug_info_lists_application_variables(
    call: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_COLOUR", "<blue>")
    page = call(debug_app(), "/debug-info").body.decode()
    assert "<td>colour</td><td>&lt;blue&gt;</td>" in page


def test_traceback_page(call: Call) -> None:
    reply = call(debug_app(), "/boom?<x>")
    assert reply.status == 500
    page = reply.body.decode()
    assert "<h1>500: unhandled ZeroDivisionError</h1>" in page
    assert "ZeroDivisionError: division by zero" in page
    assert html.escape("lambda req: str(1 / 0)") in page
    assert "<p>GET /boom</p>" in page
