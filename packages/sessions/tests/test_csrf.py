from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.http import Request
from shallot.routing import METHOD_ALL, App, MiddlewareFactory, RoutedRequest
from shallot.sessions import (
    CSRF_SESSION_KEY,
    CSRFProtect,
    MemorySessionStore,
    ServerSession,
    Session,
    check_csrf,
    csrf_protect,
    csrf_token,
    session_middleware,
)

if TYPE_CHECKING:
    from shallot.http import JSONValue
    from shallot.testing import Call

SECRET = "csrf secret"


def test_the_token_is_made_once_per_session() -> None:
    session: dict[str, JSONValue] = {}
    token = csrf_token(session)
    assert len(token) == 43
    assert csrf_token(session) == token
    assert session == {CSRF_SESSION_KEY: token}
    assert csrf_token({}) != token


def test_a_token_that_is_not_a_string_is_replaced() -> None:
    session: dict[str, JSONValue] = {CSRF_SESSION_KEY: 5}
    assert isinstance(csrf_token(session), str)
    assert session[CSRF_SESSION_KEY] != 5


@pytest.mark.parametrize(
    ("stored", "submitted", "valid"),
    [
        ("token", "token", True),
        ("token", "tokex", False),
        ("token", "toke", False),
        ("token", "", False),
        ("token", None, False),
        ("token", "tökén", False),
        (None, "token", False),
        ("", "", False),
        (5, "5", False),
    ],
)
def test_check_csrf(stored: JSONValue, submitted: str | None, valid: bool) -> None:
    session: dict[str, JSONValue] = {} if stored is None else {CSRF_SESSION_KEY: stored}
    assert check_csrf(session, submitted) is valid


def protected_site() -> App:
    factories: list[MiddlewareFactory] = [
        session_middleware(lambda: Session(SECRET)),
        csrf_protect(),
    ]
    app = App(middleware=factories)

    @app.route("/form")
    def form(req: RoutedRequest) -> str:
        return csrf_token(req.session)

    @app.route("/change", METHOD_ALL)
    def change(req: RoutedRequest) -> str:
        return f"changed by {req.method}; form has {sorted(req.form)}"

    return app


@pytest.fixture
def visit(call: Call) -> tuple[App, str, str]:
    """The protected site, a session cookie and that session's token."""
    app = protected_site()
    reply = call(app, "/form")
    (set_cookie,) = reply.headers.get_all("Set-Cookie") or []
    return app, set_cookie.split(";")[0], reply.body.decode()


FORM = "application/x-www-form-urlencoded"


def test_safe_methods_need_no_token(call: Call, visit: tuple[App, str, str]) -> None:
    app, _, _ = visit
    for method in ("GET", "HEAD", "OPTIONS"):
        assert call(app, "/change", method).status == 200


def test_unsafe_methods_without_a_token_are_forbidden(
    call: Call, visit: tuple[App, str, str]
) -> None:
    app, cookie, _ = visit
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        reply = call(app, "/change", method, headers={"Cookie": cookie})
        assert reply.status == 403
        assert b"CSRF token" in reply.body


def test_the_token_in_the_form_field_is_accepted_and_the_form_still_readable(
    call: Call, visit: tuple[App, str, str]
) -> None:
    app, cookie, token = visit
    body = f"csrf_token={token}&name=ann".encode()
    reply = call(
        app, "/change", "POST", headers={"Cookie": cookie, "Content-Type": FORM}, body=body
    )
    assert (reply.status, reply.body) == (200, b"changed by POST; form has ['csrf_token', 'name']")


def test_the_token_in_a_multipart_form_is_accepted(call: Call, visit: tuple[App, str, str]) -> None:
    app, cookie, token = visit
    body = (
        f'--b\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n--b--\r\n'
    ).encode()
    headers = {"Cookie": cookie, "Content-Type": "multipart/form-data; boundary=b"}
    assert call(app, "/change", "POST", headers=headers, body=body).status == 200


def test_the_token_in_the_header_is_accepted(call: Call, visit: tuple[App, str, str]) -> None:
    app, cookie, token = visit
    headers = {"Cookie": cookie, "X-CSRF-Token": token}
    assert call(app, "/change", "DELETE", headers=headers).status == 200


def protected_token(call: Call, app: App) -> tuple[str, str]:
    """A new session's cookie and token, from the form page."""
    reply = call(app, "/form")
    (set_cookie,) = reply.headers.get_all("Set-Cookie") or []
    return set_cookie.split(";")[0], reply.body.decode()


def test_a_wrong_token_or_another_session_s_token_is_forbidden(
    call: Call, visit: tuple[App, str, str]
) -> None:
    app, cookie, token = visit
    other_cookie, other_token = protected_token(call, app)
    assert other_token != token
    mixed = {"Cookie": cookie, "X-CSRF-Token": other_token}
    assert call(app, "/change", "POST", headers=mixed).status == 403
    without_session = {"X-CSRF-Token": token}
    assert call(app, "/change", "POST", headers=without_session).status == 403
    form = {"Cookie": cookie, "Content-Type": FORM}
    cut = b"csrf_token=" + token.encode()[:-1]
    assert call(app, "/change", "POST", headers=form, body=cut).status == 403
    matching = {"Cookie": other_cookie, "X-CSRF-Token": other_token}
    assert call(app, "/change", "POST", headers=matching).status == 200


def test_another_field_and_header_name(call: Call) -> None:
    protect = CSRFProtect(field="_xsrf", header="X-XSRF-Token")
    assert (protect.field, protect.header) == ("_xsrf", "X-XSRF-Token")
    factories: list[MiddlewareFactory] = [
        session_middleware(lambda: Session(SECRET)),
        csrf_protect(field="_xsrf", header="X-XSRF-Token"),
    ]
    app = App(middleware=factories)
    app.set_route("/form", lambda req: csrf_token(req.session))
    app.set_route("/change", lambda req: "changed", METHOD_ALL)
    cookie, token = protected_token(call, app)
    assert (
        call(app, "/change", "POST", headers={"Cookie": cookie, "X-XSRF-Token": token}).status
        == 200
    )
    assert (
        call(app, "/change", "POST", headers={"Cookie": cookie, "X-CSRF-Token": token}).status
        == 403
    )
    form = {"Cookie": cookie, "Content-Type": FORM}
    body = f"_xsrf={token}".encode()
    assert call(app, "/change", "POST", headers=form, body=body).status == 200


def test_regenerating_a_cookie_session_rotates_its_token() -> None:
    before = Session(SECRET)
    token = csrf_token(before)
    before["user"] = "ann"
    cookie = before.write().split(";")[0]
    after = Session(SECRET)
    after.load(Request({"HTTP_COOKIE": cookie}))
    assert check_csrf(after, token)
    after.regenerate()
    assert not check_csrf(after, token)
    fresh = csrf_token(after)
    assert fresh != token
    reloaded = Session(SECRET)
    reloaded.load(Request({"HTTP_COOKIE": after.write().split(";")[0]}))
    assert dict(reloaded) == {"user": "ann", CSRF_SESSION_KEY: fresh}
    assert not check_csrf(reloaded, token)


def test_regenerating_a_server_session_rotates_its_token() -> None:
    store = MemorySessionStore()
    before = ServerSession(store, secret_key=SECRET)
    token = csrf_token(before)
    cookie = before.write().split(";")[0]
    after = ServerSession(store, secret_key=SECRET)
    after.load(Request({"HTTP_COOKIE": cookie}))
    assert check_csrf(after, token)
    after.regenerate()
    reloaded = ServerSession(store, secret_key=SECRET)
    reloaded.load(Request({"HTTP_COOKIE": after.write().split(";")[0]}))
    assert CSRF_SESSION_KEY not in reloaded
    assert not check_csrf(reloaded, token)
