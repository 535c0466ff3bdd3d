"""RoutedRequest: what it adds to shallot.http's Request, and that it starts out the same."""

from __future__ import annotations

import io
import uuid
from typing import TYPE_CHECKING, BinaryIO
from wsgiref.util import setup_testing_defaults

from shallot.http import Request
from shallot.routing import App, RoutedRequest

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

    from shallot.testing import Call


def environ(**values: object) -> WSGIEnvironment:
    built: WSGIEnvironment = dict(values)
    setup_testing_defaults(built)
    return built


def set_slots(request: Request) -> set[str]:
    slots = {name for cls in type(request).__mro__ for name in getattr(cls, "__slots__", ())}
    return {name for name in slots if hasattr(request, name)}


def test_starts_with_what_request_starts_with() -> None:
    """RoutedRequest inlines Request.__init__ for speed: both must set the same attributes."""
    app = App()
    base = set_slots(Request(environ()))
    routed = set_slots(RoutedRequest(environ(), app))
    assert routed - base == {"app", "route", "_values"}
    assert base <= routed


def in_memory(field_name: str, filename: str, content_type: str, /) -> BinaryIO:
    return io.BytesIO()


def test_a_fresh_request() -> None:
    app = App(file_factory=in_memory)
    request = RoutedRequest(environ(PATH_INFO="/x"), app)
    assert (request.app, request.route, request.values, request.groups) == (app, None, (), {})
    assert request.limits is app.limits
    assert request.file_factory is app.file_factory
    assert request.path == "/x"


def test_groups_values_and_url_for(call: Call) -> None:
    app = App()
    key = uuid.uuid4()

    @app.route("/doc/<key:uuid>/<page:int>")
    def doc(req: RoutedRequest, key: uuid.UUID, page: int) -> str:
        assert req.values == (key, page)
        assert req.groups == {"key": key, "page": page}
        return req.url_for("doc", key=key, page=page + 1)

    reply = call(app, f"/doc/{key}/1", environ={"SCRIPT_NAME": "/docs"})
    assert reply.body == f"/docs/doc/{key}/2".encode()


def test_get_options_reads_the_wsgi_environ() -> None:
    request = RoutedRequest(environ(app_name=" x ", APP_Debug="1", other="y"), App())
    assert request.get_options() == {"name": "x", "debug": "1"}
