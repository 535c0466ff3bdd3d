"""A plain WSGI application mounted at a path prefix inside the App's handler chain.

::

    app = App(middleware=[sessions, caching, mount_wsgi("/legacy", legacy_app)])

Requests for ``/legacy`` and below go to ``legacy_app`` and come back as a
:class:`~shallot.routing.wsgi_adapter.WSGIAppResponse`, so the middleware listed before the mount
(the outer ones), the App's after hooks and its error handling apply to them as to any handler's
answer; every other request goes on to the rest of the chain and the App's routes. Routing's
before hooks do not run for mounted requests: they belong to routed handlers.

The prefix matches whole segments (``/legacy`` takes ``/legacy`` and ``/legacy/x``, never
``/legacyx``) and moves from ``PATH_INFO`` to the end of ``SCRIPT_NAME``, in the request's own
environ, as Werkzeug's ``DispatcherMiddleware`` does: the application sees ``SCRIPT_NAME``
``/legacy`` and ``PATH_INFO`` ``/x`` (``""`` for the prefix itself) and builds its links right.
A path under the prefix with a ``.`` or ``..`` segment is answered 400 without calling the
application, as the App answers such paths.

For the App's fallback instead (the application answering whatever no route takes, with the
whole path), use :class:`~shallot.routing.wsgi_adapter.WSGIHandler` as a default handler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.http import bad_request
from shallot.routing.patterns import has_dot_segment
from shallot.routing.wsgi_adapter import call_wsgi_app

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from shallot.http import BaseResponse
    from shallot.routing.handler_middleware import Following, MiddlewareFactory
    from shallot.routing.request import RoutedRequest

__all__ = ["WSGIMount", "mount_wsgi"]


class WSGIMount:
    """Handler middleware sending the requests under ``prefix`` to the WSGI application ``app``
    (see the module documentation).

    ``prefix`` starts with ``/``, has at least one segment, and neither ends with ``/`` nor holds
    empty, ``.`` or ``..`` segments; :class:`ValueError` otherwise (:class:`TypeError` for a
    prefix that is not a ``str`` or an ``app`` that is not callable).
    """

    __slots__ = ("_raw", "app", "prefix")

    def __init__(self, prefix: str, app: WSGIApplication) -> None:
        if not isinstance(prefix, str):
            raise TypeError(f"a mount prefix must be str, not {type(prefix).__name__}")
        if not callable(app):
            raise TypeError(f"a WSGI application must be callable, not {type(app).__name__}")
        segments = prefix.split("/")
        if not prefix.startswith("/") or prefix == "/" or prefix.endswith("/"):
            raise ValueError(f"a mount prefix is '/name', without a final '/': {prefix!r}")
        if any(segment in ("", ".", "..") for segment in segments[1:]):
            raise ValueError(f"a mount prefix has no empty, '.' or '..' segment: {prefix!r}")
        if any(ord(char) < 32 or ord(char) == 127 for char in prefix):
            raise ValueError(f"a mount prefix holds no control character: {prefix!r}")
        self.prefix = prefix
        self.app = app
        self._raw = prefix.encode("utf-8").decode("latin-1")  # as WSGI carries PATH_INFO

    def __call__(self, request: RoutedRequest, following: Following, /) -> BaseResponse | None:
        """Answer with the application under the prefix; else ``following(request)``."""
        environ = request.environ
        path: str = environ.get("PATH_INFO") or ""
        raw = self._raw
        if not path.startswith(raw) or (len(path) > len(raw) and path[len(raw)] != "/"):
            return following(request)
        rest = path[len(raw) :]
        if "/." in rest and has_dot_segment(rest):
            return bad_request("the path has '.' or '..' segments")
        environ["SCRIPT_NAME"] = (environ.get("SCRIPT_NAME") or "") + raw
        environ["PATH_INFO"] = rest
        return call_wsgi_app(self.app, environ)

    def __repr__(self) -> str:
        return f"WSGIMount({self.prefix!r}, {self.app!r})"


def mount_wsgi(prefix: str, app: WSGIApplication) -> MiddlewareFactory:
    """The middleware factory for ``App(middleware=[...])`` mounting ``app`` at ``prefix``
    (checked now: see :class:`WSGIMount`)."""
    mount = WSGIMount(prefix, app)

    def factory(options: dict[str, object], /) -> WSGIMount:
        return mount

    return factory
