"""Dispatcher: longest whole-segment prefix wins, SCRIPT_NAME/PATH_INFO shifted, a default."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.middleware import Dispatcher

if TYPE_CHECKING:
    from collections.abc import Callable

    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

    from packages.middleware.tests.conftest import Send


def named(name: str) -> WSGIApplication:
    """An app answering its name, SCRIPT_NAME and PATH_INFO."""

    def app(environ: WSGIEnvironment, start_response: Callable[..., object]) -> list[bytes]:
        text = f"{name}|{environ['SCRIPT_NAME']}|{environ['PATH_INFO']}"
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [text.encode("latin-1")]

    return app


@pytest.fixture
def dispatcher() -> Dispatcher:
    return Dispatcher(
        named("default"),
        {
            "/app": named("app"),
            "/app/admin/": named("admin"),
            "/api/v1": named("v1"),
            "/café": named("café"),
        },
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/app", "app|/app|"),
        ("/app/", "app|/app|/"),
        ("/app/x/y", "app|/app|/x/y"),
        ("/apple", "default||/apple"),
        ("/app/admin", "admin|/app/admin|"),
        ("/app/admin/users", "admin|/app/admin|/users"),
        ("/app/administrator", "app|/app|/administrator"),
        ("/api", "default||/api"),
        ("/api/v1/items", "v1|/api/v1|/items"),
        ("/api/v10", "default||/api/v10"),
        ("/caf\xc3\xa9/menu", "café|/caf\xc3\xa9|/menu"),
        ("/", "default||/"),
        ("", "default||"),
    ],
)
def test_dispatch(dispatcher: Dispatcher, send: Send, path: str, expected: str) -> None:
    assert send(dispatcher, path).body == expected.encode("latin-1")


def test_script_name_is_extended(dispatcher: Dispatcher, send: Send) -> None:
    assert send(dispatcher, "/app/x", SCRIPT_NAME="/site").body == b"app|/site/app|/x"


def test_mounts_first_with_a_default_mount(send: Send) -> None:
    for dispatcher in (
        Dispatcher({"/a": named("a"), "/": named("root")}),
        Dispatcher({"/a": named("a"), "": named("root")}),
        Dispatcher({"/a": named("a")}, named("root")),
    ):
        assert send(dispatcher, "/a/b").body == b"a|/a|/b"
        assert send(dispatcher, "/b").body == b"root||/b"
    assert dispatcher.mounts.keys() == {"/a"}


def test_nested(send: Send) -> None:
    inner = Dispatcher({"/b": named("b")}, named("inner"))
    outer = Dispatcher({"/a": inner})
    assert send(outer, "/a/b/c").body == b"b|/a/b|/c"
    assert send(outer, "/a/x").body == b"inner|/a|/x"


def test_no_default_is_404(send: Send) -> None:
    answer = send(Dispatcher({"/a": named("a")}), "/b")
    assert answer.status == 404


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (({"a": named("a")},), ValueError),
        (({"/a": named("a"), "/a/": named("b")},), ValueError),
        (({"/": named("a")}, named("b")), ValueError),
        ((named("a"), named("b")), TypeError),
        (({"/a": named("a")}, {"/b": named("b")}), TypeError),
    ],
)
def test_bad_mounts(arguments: tuple[object, ...], error: type[Exception]) -> None:
    with pytest.raises(error):
        Dispatcher(*arguments)  # type: ignore[call-overload]  # wrong on purpose
