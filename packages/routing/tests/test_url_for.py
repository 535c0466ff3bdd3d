"""Reverse routing: paths built from routes, converted, checked and quoted, below SCRIPT_NAME."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

import pytest

from shallot.routing import App, BuildError, RoutedRequest
from shallot.testing import fetch

if TYPE_CHECKING:
    from shallot.testing import Call, Serve

UUID = uuid.UUID("3f2b8c1e-9d4a-4f6b-8a2c-1e5d7f9b0c3a")


def site() -> App:
    app = App()

    @app.route("/")
    def home(req: RoutedRequest) -> str:
        return "home"

    @app.route("/user/<name>/<id:int>")
    def user(req: RoutedRequest, name: str, id: int) -> str:
        return json.dumps([name, id])

    @app.route("/users")
    @app.route("/users/page/<page:int>")
    def users(req: RoutedRequest, page: int = 1) -> str:
        return f"page {page}"

    app.set_route("/files/<p:path>", lambda req, p: p, name="file")
    app.set_route("/doc/<key:uuid>", lambda req, key: str(key), name="doc")
    app.set_route("/m/<x:float>", lambda req, x: repr(x), name="measure")
    app.set_route("/wörter/<w:word>", lambda req, w: w, name="word")
    app.set_route("/links", lambda req: req.url_for("user", name="a b", id=1), name="links")
    return app


def test_paths_from_names_and_handlers() -> None:
    app = site()
    assert app.url_for("home") == "/"
    assert app.url_for("user", name="ann", id=7) == "/user/ann/7"
    users = app.routes[2].handler
    assert app.url_for(users) == "/users"  # the route whose groups the params match
    assert app.url_for(users, page=3) == "/users/page/3"
    assert app.url_for("doc", key=UUID) == f"/doc/{UUID}"
    assert app.url_for("doc", key=str(UUID).upper()) == f"/doc/{UUID}"
    assert app.url_for("measure", x=1e-7) == "/m/0.0000001"


def test_values_are_quoted() -> None:
    app = site()
    assert app.url_for("user", name="a b?c#d%&", id=-1) == "/user/a%20b%3Fc%23d%25%26/-1"
    assert app.url_for("file", p="dir/sub dir/ř.txt") == "/files/dir/sub%20dir/%C5%99.txt"
    assert app.url_for("word", w="Žluť") == "/w%C3%B6rter/%C5%BDlu%C5%A5"


def test_script_name_is_prefixed(call: Call) -> None:
    app = site()
    assert app.url_for("home", script_name="/mount/") == "/mount/"
    assert app.url_for("user", script_name="/my app", name="x", id=1) == "/my%20app/user/x/1"
    reply = call(app, "/links", environ={"SCRIPT_NAME": "/prefix"})
    assert reply.body == b"/prefix/user/a%20b/1"


@pytest.mark.parametrize(
    ("endpoint", "params", "reason"),  # a reason is part of the message
    [
        ("nobody", {}, "no route has this name or handler"),
        (
            "user",
            {"name": "x"},
            "missing id; given name, but '/user/<name>/<id:int>' takes name, id",
        ),
        ("user", {"name": "x", "id": 1, "extra": 2}, "given extra, id, name"),
        ("user", {"name": "x", "id": "seven"}, "'seven' does not match filter 'int'"),
        ("user", {"name": "x", "id": True}, "True does not match filter 'int'"),
        ("user", {"name": "", "id": 1}, "'' does not match filter 'segment'"),
        ("user", {"name": "a/b", "id": 1}, "'a/b' does not match filter 'segment'"),
        ("user", {"name": "..", "id": 1}, "'.' or '..' segments"),
        ("file", {"p": "/etc/passwd"}, "does not match filter 'path'"),
        ("file", {"p": "a/../../etc"}, "'.' or '..' segments"),
        ("doc", {"key": "nope"}, "cannot convert 'nope'"),
        ("measure", {"x": float("nan")}, "does not match filter 'float'"),
        ("measure", {"x": "1.5"}, "cannot convert '1.5'"),
    ],
)
def test_build_errors(endpoint: str, params: dict[str, object], reason: str) -> None:
    app = site()
    with pytest.raises(BuildError) as raised:
        app.url_for(endpoint, **params)  # type: ignore[arg-type]  # no script_name among them
    assert reason in raised.value.reason
    assert raised.value.endpoint == repr(endpoint)


def test_build_error_names_a_handler_by_its_qualified_name() -> None:
    def orphan(req: RoutedRequest) -> str:
        return ""

    with pytest.raises(BuildError) as raised:
        App().url_for(orphan)
    assert raised.value.endpoint.endswith("orphan")


def test_built_urls_route_back_to_the_same_values(serve: Serve) -> None:
    app = site()
    base = serve(app)
    for name in ["ann", "a b", "100%", "ř?#&=+;,", "..a", "a..", "%2F"]:
        path = app.url_for("user", name=name, id=42)
        reply = fetch(base, path)
        assert (reply.status, json.loads(reply.body)) == (200, [name, 42]), path
    path = app.url_for("file", p="a b/c")
    assert fetch(base, path).body == b"a b/c"
