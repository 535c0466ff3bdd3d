from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

import pytest

from shallot.http import (
    SESSION_ENVIRON_KEY,
    HTTPException,
    NoSessionError,
    RedirectResponse,
    Request,
    Response,
    abort,
    redirect,
)
from shallot.routing import METHOD_GET_POST, App, MiddlewareFactory, RoutedRequest
from shallot.sessions import (
    CookieCodec,
    MemorySessionStore,
    ServerSession,
    Session,
    SessionHandlerMiddleware,
    SessionMiddleware,
    session_middleware,
)
from shallot.testing import fetch

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shallot.testing import Call, Reply, Serve

SECRET = "middleware secret"


def make_session() -> Session:
    return Session(SECRET)


def counter(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """A plain WSGI app: ``/count`` adds one to the session's counter, ``/peek`` reads it,
    ``/none`` ignores the session, ``/crash`` changes it and fails."""
    request = Request(environ)
    path = request.path
    if path == "/count":
        request.session["count"] = int(str(request.session.get("count", 0))) + 1
    if path == "/crash":
        request.session["count"] = -1
        raise RuntimeError("failed request")
    body = b"-" if path == "/none" else str(request.session.get("count")).encode()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]


def cookie_of(reply: Reply) -> str:
    (set_cookie,) = reply.headers.get_all("Set-Cookie") or []
    return set_cookie.split(";")[0]


def test_wsgi_changed_sessions_are_written_read_only_ones_are_not(
    call: Call,
) -> None:
    app = SessionMiddleware(counter, make_session)
    first = call(app, "/count")
    assert first.body == b"1"
    cookie = cookie_of(first)
    second = call(app, "/count", headers={"Cookie": cookie})
    assert second.body == b"2"
    cookie = cookie_of(second)
    peek = call(app, "/peek", headers={"Cookie": cookie})
    assert peek.body == b"2"
    assert peek.headers.get_all("Set-Cookie") is None
    untouched = call(app, "/none", headers={"Cookie": cookie})
    assert untouched.headers.get_all("Set-Cookie") is None


def test_wsgi_the_session_is_not_read_when_unused(
    call: Call, caplog: pytest.LogCaptureFixture
) -> None:
    app = SessionMiddleware(counter, make_session)
    with caplog.at_level(logging.INFO, "shallot.sessions"):
        call(app, "/none", headers={"Cookie": "SESSID=tampered"})
        assert caplog.records == []
        assert call(app, "/peek", headers={"Cookie": "SESSID=tampered"}).body == b"None"
    assert "ignored" in caplog.text


def test_wsgi_a_failed_request_saves_nothing(call: Call) -> None:
    store = MemorySessionStore()
    app = SessionMiddleware(counter, lambda: ServerSession(store))
    cookie = cookie_of(call(app, "/count"))
    with pytest.raises(RuntimeError, match="failed request"):
        call(app, "/crash", headers={"Cookie": cookie})
    assert call(app, "/peek", headers={"Cookie": cookie}).body == b"1"


def test_wsgi_an_error_restart_with_exc_info_is_passed_on_without_saving() -> None:
    def failing(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        Request(environ).session["count"] = 5
        try:
            raise ValueError("late failure")
        except ValueError:
            start_response("500 Internal Server Error", [], sys.exc_info())
        return [b"error"]

    seen: list[tuple[str, list[tuple[str, str]], object]] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], object]:
        seen.append((status, headers, exc_info))
        return lambda data: None

    app = SessionMiddleware(failing, make_session)
    assert list(app({"REQUEST_METHOD": "GET"}, start_response)) == [b"error"]
    ((status, headers, exc_info),) = seen
    assert (status, headers) == ("500 Internal Server Error", [])
    assert exc_info is not None


def test_wsgi_over_a_real_socket(serve: Serve) -> None:
    base = serve(SessionMiddleware(counter, make_session))
    first = fetch(base, "/count")
    second = fetch(base, "/count", headers={"Cookie": cookie_of(first)})
    assert (first.body, second.body) == (b"1", b"2")


def site(factory: Callable[[], Session | ServerSession]) -> App:
    """An App using ``req.session`` in routed handlers, PoorWSGI style."""
    factories: list[MiddlewareFactory] = [session_middleware(factory)]  # mypy: it is one
    app = App(middleware=factories)

    @app.route("/")
    def home(req: RoutedRequest) -> str:
        return f"user={req.session.get('user')}"

    @app.route("/login", METHOD_GET_POST)
    def login(req: RoutedRequest) -> RedirectResponse:
        req.session.regenerate()
        req.session["user"] = req.args.getfirst("user", "nobody")
        return RedirectResponse("/")

    @app.route("/login-raising")
    def login_raising(req: RoutedRequest) -> str:
        req.session["user"] = "raised"
        redirect("/")

    @app.route("/forbidden")
    def forbidden_change(req: RoutedRequest) -> str:
        req.session["denied"] = True
        abort(403, "no")

    @app.route("/crash")
    def crash(req: RoutedRequest) -> str:
        req.session["user"] = "crashed"
        raise RuntimeError("handler failed")

    @app.route("/logout")
    def logout(req: RoutedRequest) -> RedirectResponse:
        req.session.destroy()
        return RedirectResponse("/")

    return app


@pytest.fixture(params=["cookie", "server"])
def factory(request: pytest.FixtureRequest) -> Callable[[], Session | ServerSession]:
    if request.param == "cookie":
        return make_session
    store = MemorySessionStore()
    return lambda: ServerSession(store, secret_key=SECRET)


def test_app_request_session_in_routed_handlers(
    call: Call, factory: Callable[[], Session | ServerSession]
) -> None:
    app = site(factory)
    anonymous = call(app, "/")
    assert (anonymous.body, anonymous.headers.get_all("Set-Cookie")) == (b"user=None", None)
    login = call(app, "/login?user=ann")
    assert login.status == 302
    cookie = cookie_of(login)
    home = call(app, "/", headers={"Cookie": cookie})
    assert (home.body, home.headers.get_all("Set-Cookie")) == (b"user=ann", None)
    logout = call(app, "/logout", headers={"Cookie": cookie})
    assert cookie_of(logout) == "SESSID="
    assert call(app, "/", headers={"Cookie": "SESSID="}).body == b"user=None"


def test_app_responses_raised_as_http_exceptions_save_the_session(
    call: Call, factory: Callable[[], Session | ServerSession]
) -> None:
    app = site(factory)
    raised = call(app, "/login-raising")
    assert raised.status == 302
    assert call(app, "/", headers={"Cookie": cookie_of(raised)}).body == b"user=raised"
    refused = call(app, "/forbidden")
    assert refused.status == 403
    assert len(refused.headers.get_all("Set-Cookie") or []) == 1


def test_app_a_failed_handler_saves_nothing(
    call: Call,
    factory: Callable[[], Session | ServerSession],
) -> None:
    app = site(factory)
    cookie = cookie_of(call(app, "/login?user=ann"))
    crashed = call(app, "/crash", headers={"Cookie": cookie})
    assert crashed.status == 500
    assert crashed.headers.get_all("Set-Cookie") is None
    assert call(app, "/", headers={"Cookie": cookie}).body == b"user=ann"


def test_app_regenerate_on_login_changes_the_server_side_id(call: Call) -> None:
    store = MemorySessionStore()
    app = site(lambda: ServerSession(store))
    first = cookie_of(call(app, "/login?user=ann"))
    second = cookie_of(call(app, "/login?user=bob", headers={"Cookie": first}))
    assert first != second
    assert call(app, "/", headers={"Cookie": first}).body == b"user=None"
    assert call(app, "/", headers={"Cookie": second}).body == b"user=bob"


def test_handler_middleware_answering_none_or_without_a_session_middleware() -> None:
    middleware = SessionHandlerMiddleware(make_session)
    request = Request({"REQUEST_METHOD": "GET"})

    def following(req: Request) -> Response | None:
        req.session["x"] = 1
        return None

    assert middleware(request, following) is None
    assert isinstance(request.environ[SESSION_ENVIRON_KEY], Session)
    with pytest.raises(NoSessionError):
        Request({}).session  # noqa: B018


def test_an_http_exception_after_only_reading_the_session_gets_no_cookie() -> None:
    middleware = SessionHandlerMiddleware(make_session)

    def following(req: Request) -> Response | None:
        req.session.get("x")
        raise HTTPException(404)

    with pytest.raises(HTTPException) as caught:
        middleware(Request({"HTTP_COOKIE": "SESSID=" + CookieCodec(SECRET).encode({})}), following)
    assert "Set-Cookie" not in caught.value.response.headers


def varying(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """``/read`` reads the session, ``/none`` does not; ``vary`` in the query is sent as Vary."""
    request = Request(environ)
    fields = [("Content-Type", "text/plain")]
    vary = request.args.get("vary")
    if vary:
        fields.append(("Vary", vary))
    if request.path == "/read":
        request.session.get("count")
    start_response("200 OK", fields)
    return [b"ok"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/read", ["Cookie"]),
        ("/none", []),
        ("/read?vary=Accept-Encoding", ["Accept-Encoding", "Cookie"]),
        ("/read?vary=Accept-Encoding,%20cookie", ["Accept-Encoding, cookie"]),
        ("/read?vary=*", ["*"]),
    ],
)
def test_wsgi_an_answer_whose_session_was_read_varies_on_the_cookie(
    call: Call, target: str, expected: list[str]
) -> None:
    reply = call(SessionMiddleware(varying, make_session), target)
    assert reply.headers.get_all("Vary", []) == expected


def test_app_an_answer_whose_session_was_read_varies_on_the_cookie(call: Call) -> None:
    app = App(middleware=[session_middleware(make_session)])

    @app.route("/read")
    def read(request: RoutedRequest) -> Response:
        return Response(str(request.session.get("user")))

    @app.route("/none")
    def untouched(request: RoutedRequest) -> Response:
        return Response("-", headers=[("Vary", "Accept-Encoding")])

    @app.route("/login")
    def login(request: RoutedRequest) -> Response:
        request.session["user"] = "ann"
        raise HTTPException(RedirectResponse("/read"))

    assert call(app, "/read").headers.get_all("Vary") == ["Cookie"]
    assert call(app, "/none").headers.get_all("Vary") == ["Accept-Encoding"]
    raised = call(app, "/login")
    assert raised.status == 302
    assert raised.headers.get_all("Vary") == ["Cookie"]
    assert raised.headers["Set-Cookie"].startswith("SESSID=")
