"""The login flow of PoorWSGI's documentation, on shallot.sessions, over real HTTP.

A routed App under the embedded server (cheroot, HTTP/1.1 keep-alive), driven by httpx clients with
their cookie jars: the login form carries a CSRF token, a good password logs in (new session id),
the protected page needs the login, logout ends the session. Run with an encrypted cookie session
and with a server-side session in SQLite.
"""

from __future__ import annotations

import functools
import html
import re
import threading
from typing import TYPE_CHECKING, NamedTuple

import httpx
import pytest
from cheroot import wsgi

from shallot.http import RedirectResponse, redirect
from shallot.routing import METHOD_GET_POST, App, MiddlewareFactory, RoutedRequest
from shallot.sessions import (
    ServerSession,
    Session,
    SQLiteSessionStore,
    csrf_protect,
    csrf_token,
    session_middleware,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from shallot.sessions import ManagedSession

SECRET = "integration secret"
PASSWORD = "SecretPasswd"
TOKEN_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def login_required(handler: Callable[[RoutedRequest], str]) -> Callable[[RoutedRequest], str]:
    """PoorWSGI's ``check_login``: send visitors without a login to the login form."""

    @functools.wraps(handler)
    def checked(req: RoutedRequest) -> str:
        if not req.session.get("login"):
            redirect("/login")
        return handler(req)

    return checked


def site(factory: Callable[[], ManagedSession]) -> App:
    factories: list[MiddlewareFactory] = [session_middleware(factory), csrf_protect()]
    app = App(middleware=factories)

    @app.route("/login", METHOD_GET_POST)
    def login(req: RoutedRequest) -> str:
        if req.method == "POST":
            if req.form.getfirst("passwd") != PASSWORD:
                redirect("/login?bad=1")
            req.session.regenerate()
            req.session["login"] = req.form.getfirst("user", "")
            redirect("/private")
        token = html.escape(csrf_token(req.session))
        return (
            '<form method="post" action="/login">'
            f'<input type="hidden" name="csrf_token" value="{token}">'
            '<input name="user"><input type="password" name="passwd"></form>'
        )

    @app.route("/private")
    @login_required
    def private(req: RoutedRequest) -> str:
        return f"private page of {req.session['login']}"

    @app.route("/logout")
    def logout(req: RoutedRequest) -> RedirectResponse:
        req.session.destroy()
        return RedirectResponse("/login")

    return app


class Served(NamedTuple):
    """Where the login site runs, and whether its sessions live on the server."""

    url: str
    server_side: bool


@pytest.fixture(params=["encrypted cookie", "sqlite"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    """The login site under cheroot on a free loopback port."""
    server_side = request.param == "sqlite"
    if server_side:
        store = SQLiteSessionStore(tmp_path / "sessions.sqlite")
        app = site(lambda: ServerSession(store, secret_key=SECRET))
    else:
        app = site(lambda: Session(SECRET, encrypt=True))
    server = wsgi.Server(("127.0.0.1", 0), app)
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        host, port = server.bind_addr[:2]
        yield Served(f"http://{host}:{port}", server_side)
    finally:
        server.stop()
        thread.join(timeout=10)
        if server_side:
            store.close()


def form_token(client: httpx.Client) -> str:
    reply = client.get("/login")
    assert reply.status_code == 200
    found = TOKEN_FIELD.search(reply.text)
    assert found is not None
    return html.unescape(found.group(1))


def test_login_protected_page_logout(served: Served) -> None:
    with httpx.Client(base_url=served.url, timeout=10, follow_redirects=True) as client:
        reply = client.get("/private")
        assert (reply.url.path, reply.status_code) == ("/login", 200)
        token = form_token(client)
        before_login = client.cookies["SESSID"]
        reply = client.post("/login", data={"csrf_token": token, "user": "ann", "passwd": PASSWORD})
        assert (reply.url.path, reply.text) == ("/private", "private page of ann")
        assert client.cookies["SESSID"] != before_login
        reply = client.get("/private")
        assert reply.text == "private page of ann"
        reply = client.get("/logout", follow_redirects=False)
        assert (reply.status_code, reply.headers["Location"]) == (302, "/login")
        assert "SESSID" not in client.cookies
        reply = client.get("/private")
        assert reply.url.path == "/login"


def test_a_copied_login_cookie_after_logout(served: Served) -> None:
    """Server-side sessions are revoked by logout; a cookie session, holding its own data, lasts
    until it expires (the reason to choose a server-side session when that matters)."""
    with httpx.Client(base_url=served.url, timeout=10, follow_redirects=True) as client:
        token = form_token(client)
        client.post("/login", data={"csrf_token": token, "user": "ann", "passwd": PASSWORD})
        copied = client.cookies["SESSID"]
        client.get("/logout")
    with httpx.Client(base_url=served.url, timeout=10) as replay:
        reply = replay.get("/private", headers={"Cookie": f"SESSID={copied}"})
    if served.server_side:
        assert (reply.status_code, reply.headers["Location"]) == (302, "/login")
    else:
        assert (reply.status_code, reply.text) == (200, "private page of ann")


def test_a_bad_password_stays_logged_out(served: Served) -> None:
    with httpx.Client(base_url=served.url, timeout=10, follow_redirects=True) as client:
        token = form_token(client)
        reply = client.post("/login", data={"csrf_token": token, "user": "ann", "passwd": "guess"})
        assert (reply.url.path, reply.url.query) == ("/login", b"bad=1")
        assert client.get("/private").url.path == "/login"


def test_the_login_post_needs_the_session_s_csrf_token(served: Served) -> None:
    with (
        httpx.Client(base_url=served.url, timeout=10) as victim,
        httpx.Client(base_url=served.url, timeout=10) as attacker,
    ):
        victim_token = form_token(victim)
        attacker_token = form_token(attacker)
        login = {"user": "ann", "passwd": PASSWORD}
        assert victim.post("/login", data=login).status_code == 403
        forged = {**login, "csrf_token": attacker_token}
        assert victim.post("/login", data=forged).status_code == 403
        reply = victim.post("/login", data={**login, "csrf_token": victim_token})
        assert (reply.status_code, reply.headers["Location"]) == (302, "/private")
