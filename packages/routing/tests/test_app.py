"""The App end to end: routes and filters, methods, HEAD and OPTIONS, default handlers, what
handlers may return, hooks, debug mode, options and limits; in-process and over a real socket."""

from __future__ import annotations

import json
import logging
import uuid
from typing import TYPE_CHECKING, BinaryIO

import pytest

from shallot.http import (
    DEFAULT_LIMITS,
    BaseResponse,
    JSONLike,
    RequestLimits,
    Response,
    abort,
    redirect,
)
from shallot.routing import (
    METHOD_ALL,
    METHOD_GET_POST,
    METHOD_OPTIONS,
    METHOD_POST,
    App,
    RoutedRequest,
    RouteError,
)
from shallot.testing import fetch

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shallot.testing import Call, Serve


def issue_app() -> App:
    """The example of the issue, as users write it."""
    app = App()

    @app.route("/user/<name>/<id:int>")
    def user(req: RoutedRequest, name: str, id: int) -> dict[str, JSONLike]:
        return {"name": name, "id": id}

    @app.route("/form", methods=METHOD_GET_POST)
    def form(req: RoutedRequest) -> tuple[str, str]:
        return "Hello", "text/plain"

    return app


def test_the_issue_example(call: Call) -> None:
    app = issue_app()
    reply = call(app, "/user/ann/42")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(reply.body) == {"name": "ann", "id": 42}
    for method in ("GET", "POST"):
        reply = call(app, "/form", method)
        assert (reply.status, reply.body) == (200, b"Hello")
        assert reply.headers["Content-Type"] == "text/plain"
    assert call(app, "/user/ann/x").status == 404


def test_the_issue_example_served(serve: Serve) -> None:
    base = serve(issue_app())
    reply = fetch(base, "/user/Ond%C5%99ej/7")
    assert json.loads(reply.body) == {"name": "Ondřej", "id": 7}
    reply = fetch(base, "/form", "POST", {"Content-Type": "text/plain"}, b"ignored")
    assert (reply.status, reply.body) == (200, b"Hello")


def test_values_in_order_and_the_request_knows_its_route(call: Call) -> None:
    app = App()
    key = uuid.UUID("3f2b8c1e-9d4a-4f6b-8a2c-1e5d7f9b0c3a")
    seen: list[object] = []
    groups: list[dict[str, object]] = []

    @app.route("/<b:int>/<a>/<c:uuid>", name="things")
    def things(req: RoutedRequest, b: int, a: str, c: uuid.UUID) -> str:
        assert req.route is not None
        seen.extend([(b, a, c), req.values, req.route.name, req.app is app])
        groups.append(req.groups)
        return "ok"

    assert call(app, f"/5/x/{key}").status == 200
    assert seen == [(5, "x", key), (5, "x", key), "things", True]
    assert groups == [{"b": 5, "a": "x", "c": key}]
    assert list(groups[0]) == ["b", "a", "c"]


def test_route_decorator_returns_the_handler_and_routes_lists_registrations() -> None:
    app = App()

    def page(req: RoutedRequest) -> str:
        return "page"

    assert app.route("/page")(page) is page
    route = app.set_route("/api/<id:int>", page, METHOD_POST | METHOD_OPTIONS, name="api")
    assert [(r.pattern.text, sorted(r.methods), r.name) for r in app.routes] == [
        ("/page", ["GET"], "page"),
        ("/api/<id:int>", ["OPTIONS", "POST"], "api"),
    ]
    assert app.routes[1] is route
    assert repr(app) == "<App with 2 routes>"


def test_set_route_refuses_bad_registrations() -> None:
    app = App()
    app.set_route("/a", lambda req: "a")
    with pytest.raises(RouteError, match="GET already routed"):
        app.set_route("/a", lambda req: "b")
    with pytest.raises(RouteError, match="unknown filter"):
        app.set_route("/b/<x:nope>", lambda req, x: "")
    with pytest.raises(TypeError, match="must be callable"):
        app.set_route("/c", "not a handler")  # type: ignore[arg-type]  # the check under test
    with pytest.raises(ValueError, match="not an HTTP method name"):
        app.set_route("/d", lambda req: "", "GET POST")


def test_pop_route_then_route_again(call: Call) -> None:
    app = App()
    app.set_route("/a/<x>", lambda req, x: "first", METHOD_GET_POST)
    removed = app.pop_route("/a/<x>", "POST")
    assert [sorted(route.methods) for route in removed] == [["POST"]]
    assert call(app, "/a/1", "POST").status == 405
    assert call(app, "/a/1").body == b"first"
    app.pop_route("/a/<x>")
    assert call(app, "/a/1").status == 404
    app.set_route("/a/<x>", lambda req, x: "second")
    assert call(app, "/a/1").body == b"second"
    with pytest.raises(KeyError):
        app.pop_route("/nowhere")


def test_custom_filters(call: Call) -> None:
    app = App()
    app.set_filter("year", r"[0-9]{4}", int, lambda year: f"{year:04d}")
    app.set_route("/archive/<year:year>", lambda req, year: f"{year + 1}", name="archive")
    assert call(app, "/archive/2023").body == b"2024"
    assert call(app, "/archive/23").status == 404
    assert app.url_for("archive", year=7) == "/archive/0007"
    assert app.filters["year"].regex == "[0-9]{4}"
    with pytest.raises(TypeError):
        app.filters["x"] = app.filters["int"]  # type: ignore[index]  # read-only view
    app.set_filter("int", r"[0-9]+", int)  # redefining affects routes registered from now on
    app.set_route("/n/<n:int>", lambda req, n: str(n))
    assert call(app, "/n/-1").status == 404


def test_head_is_answered_by_get_handlers_without_a_body(call: Call, serve: Serve) -> None:
    app = App()
    calls: list[str] = []

    @app.route("/doc/<name>")
    def doc(req: RoutedRequest, name: str) -> str:
        calls.append(req.method)
        return f"document {name}"

    app.set_route("/static", lambda req: "static body")
    for target in ("/doc/a", "/static"):
        get, head = call(app, target), call(app, target, "HEAD")
        assert head.status == 200
        assert head.body == b""
        assert head.headers["Content-Length"] == get.headers["Content-Length"] != "0"
    assert calls == ["GET", "HEAD"]
    reply = fetch(serve(app), "/doc/b", "HEAD")
    assert (reply.status, reply.body, reply.headers["Content-Length"]) == (200, b"", "10")


def test_options_is_answered_with_allow(call: Call) -> None:
    app = App()
    app.set_route("/thing/<id:int>", lambda req, id: "", METHOD_GET_POST)
    app.set_route("/thing/<name>", lambda req, name: "", "DELETE")
    app.set_route("/own", lambda req: ("mine", "text/plain"), METHOD_OPTIONS)
    reply = call(app, "/thing/1", "OPTIONS")
    assert (reply.status, reply.body) == (204, b"")
    assert reply.headers["Allow"] == "GET, HEAD, POST, DELETE, OPTIONS"
    assert "Content-Type" not in reply.headers
    assert call(app, "/thing/x", "OPTIONS").headers["Allow"] == "DELETE, OPTIONS"
    assert call(app, "/own", "OPTIONS").body == b"mine"
    assert call(app, "/nothing", "OPTIONS").status == 404


def test_options_star_lists_every_method(serve: Serve) -> None:
    app = App()
    app.set_route("/a", lambda req: "", METHOD_GET_POST)
    app.set_route("/b/<x>", lambda req, x: "", "PROPFIND")
    reply = fetch(serve(app), "*", "OPTIONS")
    assert (reply.status, reply.headers["Allow"]) == (204, "GET, HEAD, POST, OPTIONS, PROPFIND")


def test_wrong_method_is_405_with_allow(call: Call, serve: Serve) -> None:
    app = App()
    app.set_route("/static", lambda req: "")
    app.set_route("/static", lambda req: "", "PROPFIND")
    app.set_route("/item/<id:int>", lambda req, id: "", ["PUT", "GET"])
    reply = call(app, "/static", "POST")
    assert reply.status == 405
    assert reply.headers["Allow"] == "GET, HEAD, OPTIONS, PROPFIND"
    assert reply.body == b"405 Method Not Allowed\n"
    reply = fetch(serve(app), "/item/3", "DELETE")
    assert (reply.status, reply.headers["Allow"]) == (405, "GET, HEAD, PUT, OPTIONS")


def test_a_static_path_also_matched_by_a_pattern(call: Call) -> None:
    app = App()
    app.set_route("/user/new", lambda req: "form")
    app.set_route("/user/<name>", lambda req, name: f"created {name}", "POST")
    assert call(app, "/user/new").body == b"form"
    assert call(app, "/user/new", "POST").body == b"created new"
    assert call(app, "/user/new", "PUT").headers["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_not_found(call: Call) -> None:
    app = App()
    app.set_route("/a/<x:int>", lambda req, x: "")
    for target in ("/", "/a", "/a/", "/a/x", "/b/1", "/a/1/"):
        reply = call(app, target)
        assert (reply.status, reply.body) == (404, b"404 Not Found\n"), target
        assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"


class Thing:
    """Not something a handler may return."""


@pytest.mark.parametrize(
    ("result", "status", "content_type", "body"),
    [
        ("text", 200, "text/html; charset=utf-8", b"text"),
        (b"\x00bytes", 200, "text/html; charset=utf-8", b"\x00bytes"),
        ({"a": [1, None]}, 200, "application/json; charset=utf-8", b'{"a":[1,null]}'),
        ([1, "x"], 200, "application/json; charset=utf-8", b'[1,"x"]'),
        (None, 204, None, b""),
        (("made", "text/plain", {"X-Id": "7"}, 201), 201, "text/plain", b"made"),
        ((b"<p>", "text/html"), 200, "text/html", b"<p>"),
        (iter([b"a", b"b"]), 200, "text/html; charset=utf-8", b"ab"),
        (Response("teapot", "text/plain", status_code=418), 418, "text/plain", b"teapot"),
    ],
)
def test_what_handlers_may_return(
    call: Call, result: object, status: int, content_type: str | None, body: bytes
) -> None:
    app = App()
    app.set_route("/", lambda req: result)  # type: ignore[arg-type, return-value]  # every kind
    reply = call(app)
    assert (reply.status, reply.headers["Content-Type"], reply.body) == (status, content_type, body)


def passed_through(request: RoutedRequest, response: BaseResponse) -> BaseResponse:
    return response


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize(
    "result",
    [
        "héllo",
        ("héllo", "text/plain; charset=utf-8"),
        ("héllo", "text/csv; charset=latin-1"),
        ("", "text/plain"),
    ],
)
def test_text_is_sent_as_its_response_would_be(call: Call, method: str, result: object) -> None:
    # Without middleware or after hooks, text goes out without a Response object; with an after
    # hook it goes through one. Both send the same; the direct App is asked twice, since a
    # content type is checked through a Response the first time it is seen.
    direct, through = App(), App()
    for app in (direct, through):
        app.set_route("/", lambda req: result)  # type: ignore[arg-type, return-value]  # each kind
    through.add_after_response(passed_through)
    replies = [call(app, "/", method) for app in (direct, through, direct)]
    sent = [(reply.status, list(reply.headers.items()), reply.body) for reply in replies]
    assert sent[0] == sent[1] == sent[2]
    assert sent[0][0] == 200
    if method == "HEAD":
        assert sent[0][2] == b""


def test_text_with_a_checked_content_type_needs_no_response_object(
    call: Call, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = App()
    app.set_route("/page", lambda req: "<p>page</p>")
    app.set_route("/note", lambda req: ("note", "text/plain; charset=utf-8"))
    assert call(app, "/note").status == 200  # checks its content type, through a Response

    def no_response(*args: object) -> Response:
        raise AssertionError("a Response was built")

    monkeypatch.setattr("shallot.routing.app.make_response", no_response)
    monkeypatch.setattr("shallot.routing.answers.Response", no_response)
    page, note = call(app, "/page"), call(app, "/note")
    assert (page.status, page.headers["Content-Type"], page.body) == (
        200,
        "text/html; charset=utf-8",
        b"<p>page</p>",
    )
    assert page.headers["Content-Length"] == "11"
    assert (note.status, note.headers["Content-Type"], note.body) == (
        200,
        "text/plain; charset=utf-8",
        b"note",
    )


@pytest.mark.parametrize(
    "result", [("x", "text/plain\r\nX-Injected: yes"), ("€ 5", "text/plain; charset=latin-1")]
)
def test_text_that_cannot_be_sent_is_a_500_every_time(
    call: Call, caplog: pytest.LogCaptureFixture, result: tuple[str, str]
) -> None:
    app = App()
    app.set_route("/", lambda req: result)
    app.set_error_handler(ValueError, lambda req, error: "not for unusable results")
    with caplog.at_level(logging.ERROR, logger="shallot.routing"):
        replies = [call(app) for _ in range(2)]
    for reply in replies:
        assert (reply.status, reply.body) == (500, b"500 Internal Server Error\n")
        assert "X-Injected" not in reply.headers
    assert len(caplog.records) == 2


@pytest.mark.parametrize(
    "result", [Thing(), 42, {1, 2}, ("a", "b", "c", 200, "x"), {"a": Thing()}, ("x", "t", None, 1)]
)
def test_unusable_results_are_a_logged_500_without_details(
    call: Call, caplog: pytest.LogCaptureFixture, result: object
) -> None:
    app = App()

    def broken(req: RoutedRequest) -> object:
        return result

    app.set_route("/broken", broken)  # type: ignore[arg-type]  # what is under test
    with caplog.at_level(logging.ERROR, logger="shallot.routing"):
        reply = call(app, "/broken?x=1")
    assert (reply.status, reply.body) == (500, b"500 Internal Server Error\n")
    (record,) = caplog.records
    assert record.getMessage().startswith("GET /broken?x=1: ")
    assert "broken returned an unusable" in record.getMessage()


def test_http_exceptions_answer_with_their_response(call: Call) -> None:
    app = App()
    app.set_route("/forbidden", lambda req: abort(403, "not you"))
    app.set_route("/moved", lambda req: redirect("/elsewhere", 308))
    reply = call(app, "/forbidden")
    assert (reply.status, reply.body) == (403, b"403 Forbidden\n\nnot you\n")
    reply = call(app, "/moved")
    assert (reply.status, reply.headers["Location"]) == (308, "/elsewhere")


@pytest.mark.parametrize(
    ("environ", "status", "message"),
    [
        ({"PATH_INFO": "/a\xff"}, 400, b"not valid UTF-8"),
        ({"PATH_INFO": "/a/../b"}, 400, b"'.' or '..' segments"),
        ({"PATH_INFO": "/a/./b"}, 400, b"'.' or '..' segments"),
        ({"PATH_INFO": "/.."}, 400, b"'.' or '..' segments"),
        ({"PATH_INFO": "/a\x00.txt"}, 400, b"NUL character"),
        ({"PATH_INFO": "/" + "a" * 101}, 414, b"longer than 100 characters"),
        ({"PATH_INFO": "/a%zz", "REQUEST_URI": "/a%zz"}, 400, b"malformed percent-encoding"),
        ({"PATH_INFO": "/a%2", "RAW_URI": "/a%2?q"}, 400, b"malformed percent-encoding"),
        ({"PATH_INFO": "/a%zz"}, 200, b"routed"),  # no raw URI to tell: taken as it is
        ({"PATH_INFO": "/a%zz", "REQUEST_URI": "/a%25zz"}, 200, b"routed"),
    ],
)
def test_bad_paths_are_client_errors(
    call: Call, environ: dict[str, str], status: int, message: bytes
) -> None:
    app = App(max_path_length=100)
    app.set_route("/<any:path>", lambda req, any: "routed")
    reply = call(app, environ=environ)
    assert reply.status == status
    assert message in reply.body


def test_dots_that_are_not_segments_are_fine(call: Call) -> None:
    app = App()
    app.set_route("/<name:path>", lambda req, name: name)
    for name in ("a/..b", ".hidden", "a/b.", "..."):
        assert call(app, "/" + name).body == name.encode()


def test_bad_paths_through_a_real_server(serve: Serve) -> None:
    app = App(max_path_length=50)
    app.set_route("/<any:path>", lambda req, any: "routed")
    base = serve(app)
    assert fetch(base, "/caf%C3%A9").body == b"routed"
    assert fetch(base, "/a%FF").status == 400
    assert fetch(base, "/a/../b").status == 400
    assert fetch(base, "/a/%2e%2e/b").status == 400
    assert fetch(base, "/" + "x" * 60).status == 414
    assert fetch(base, "/a%zz").body == b"routed"  # wsgiref gives no raw URI to tell


def test_crashes_never_show_a_traceback_unless_debug(
    call: Call, caplog: pytest.LogCaptureFixture
) -> None:
    app = App()

    @app.route("/crash/<n:int>")
    def crash(req: RoutedRequest, n: int) -> str:
        raise RuntimeError(f"secret {n}")

    with caplog.at_level(logging.ERROR, logger="shallot.routing"):
        reply = call(app, "/crash/7?q=1")
    assert (reply.status, reply.body) == (500, b"500 Internal Server Error\n")
    (record,) = caplog.records
    assert record.getMessage() == "GET /crash/7?q=1: unhandled RuntimeError"
    assert record.exc_info is not None
    assert "secret 7" in caplog.text
    app.debug = True
    reply = call(app, "/crash/8")
    assert reply.status == 500
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"RuntimeError: secret 8" in reply.body
    assert b"Traceback" in reply.body


def test_a_failing_response_is_a_logged_500(call: Call, caplog: pytest.LogCaptureFixture) -> None:
    class Broken(Response):
        __slots__ = ()

        def __call__(
            self, environ: WSGIEnvironment, start_response: StartResponse
        ) -> Iterable[bytes]:
            raise OSError("disk gone")

    app = App()
    app.set_route("/", lambda req: Broken())
    with caplog.at_level(logging.ERROR, logger="shallot.routing"):
        reply = call(app)
    assert (reply.status, reply.body) == (500, b"500 Internal Server Error\n")
    assert "GET /: the response failed" in caplog.text


def test_debug_info_only_in_debug_mode(call: Call) -> None:
    app = App()
    assert call(app, "/debug-info").status == 404
    app.debug = True
    reply = call(app, "/debug-info")
    assert reply.status == 200
    assert b"Debug information" in reply.body
    assert call(App(debug=True), "/debug-info", "POST").status == 404


def test_get_options(monkeypatch: pytest.MonkeyPatch, call: Call) -> None:
    monkeypatch.setenv("APP_DB_SERVER", " localhost ")
    monkeypatch.setenv("app_templates", "app/templ")
    monkeypatch.setenv("APPLICATION", "not an option")
    options = App.get_options()
    assert options["db_server"] == "localhost"
    assert options["templates"] == "app/templ"
    assert "lication" not in options
    app = App()
    app.set_route("/", lambda req: json.dumps(req.get_options()))
    reply = call(app, environ={"app_mode": "test", "APP_X": " 1 ", "HTTP_APP_Y": "no"})
    assert json.loads(reply.body) == {"mode": "test", "x": "1"}


def test_limits_and_options_reach_requests(call: Call) -> None:
    limits = RequestLimits(max_body_size=4)
    app = App(limits=limits, options={"name": "site"})
    app.set_route("/", lambda req: req.body, "POST")
    app.set_route("/limits", lambda req: str(req.limits is limits))
    assert call(app, "/", "POST", body=b"1234").body == b"1234"
    assert call(app, "/", "POST", body=b"12345").status == 413
    assert call(app, "/limits").body == b"True"
    assert app.options == {"name": "site"}
    assert App().limits is DEFAULT_LIMITS


@pytest.mark.filterwarnings("ignore::wsgiref.validate.WSGIWarning")  # PROPFIND is unknown to it
def test_method_all_and_extension_methods(call: Call) -> None:
    app = App()
    app.set_route("/any", lambda req: req.method, METHOD_ALL)
    app.set_route("/dav", lambda req: req.method, ["PROPFIND", "MKCOL"])
    for method in ("GET", "PUT", "PATCH", "TRACE", "DELETE"):
        assert call(app, "/any", method).body == method.encode()
    assert call(app, "/dav", "PROPFIND").body == b"PROPFIND"
    assert call(app, "/dav", "GET").headers["Allow"] == "OPTIONS, MKCOL, PROPFIND"


@pytest.mark.parametrize("media_type", ["multipart/form-data", "Multipart/Form-Data"])
def test_uploads_use_the_apps_file_factory_and_close_after_the_answer(
    call: Call, tmp_path: Path, media_type: str
) -> None:
    files: list[BinaryIO] = []

    def to_disk(field_name: str, filename: str, content_type: str, /) -> BinaryIO:
        opened = (tmp_path / filename).open("w+b")
        files.append(opened)
        return opened

    app = App(file_factory=to_disk)

    @app.route("/upload", METHOD_POST)
    def upload(req: RoutedRequest) -> str:
        document = req.files["doc"]
        return f"{document.filename}: {document.file.read().decode()} ({req.form['title']})"

    body = (
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="title"\r\n\r\nNotes\r\n'
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="doc"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nhello\r\n"
        b"--XyZ--\r\n"
    )
    headers = {"Content-Type": f"{media_type}; boundary=XyZ"}
    reply = call(app, "/upload", "POST", headers, body)
    assert reply.body == b"a.txt: hello (Notes)"
    assert [opened.closed for opened in files] == [True]  # closed with the answer
    assert (tmp_path / "a.txt").read_bytes() == b"hello"
