"""Sessions for every request: a WSGI middleware, and a handler middleware for the routing App.

Both make one session per request with ``factory`` (``lambda: Session(secret)`` or
``lambda: ServerSession(store, secret_key=secret)``), bind it to the request without reading it,
and leave it at ``environ[SESSION_ENVIRON_KEY]``, so handlers reach it as ``request.session``. The
session reads its cookie (and store) on first use only, and it is saved, with its ``Set-Cookie``
field added, only when the request changed it: read-only requests send no cookie and write
nothing. An answer whose session was read at all gets ``Vary: Cookie``, so no cache serves one
client's page to another. WSGI::

    app = SessionMiddleware(app, lambda: Session(SECRET, secure=True))

The routing App (PoorWSGI's ``req.session``, Wheezy's handler middleware shape)::

    app = App(middleware=[session_middleware(lambda: Session(SECRET, secure=True))])

    @app.route("/login", METHOD_POST)
    def login(req: RoutedRequest) -> RedirectResponse:
        req.session.regenerate()
        req.session["user"] = req.form["user"]
        return RedirectResponse("/")

In the App, a response raised as :class:`~shallot.http.HTTPException` (a redirect, a 403) saves the
session too; any other exception saves nothing, so a failed request leaves the session as it was.
Changes made by the App's after-request hooks come too late to be saved. The WSGI middleware
saves when the application starts its response (``start_response``), so changes made while the
body is being generated are not saved either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from shallot.http import SESSION_ENVIRON_KEY, HTTPException, Request

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.http import BaseResponse
    from shallot.sessions.managed_session import ManagedSession

__all__ = ["SessionHandlerMiddleware", "SessionMiddleware", "session_middleware"]

_VARY_COOKIE = ("Vary", "Cookie")
"""The field added to every answer whose session was read: the answer depends on the cookie, so
a shared cache (shallot.caching's, a proxy's) must not hand it to another client."""

RequestT = TypeVar("RequestT", bound=Request)


class SessionMiddleware:
    """WSGI middleware giving ``app`` a session per request (see the module documentation)."""

    __slots__ = ("app", "factory")

    def __init__(self, app: WSGIApplication, factory: Callable[[], ManagedSession]) -> None:
        self.app = app
        self.factory = factory

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        session = self.factory()
        session.bind(Request(environ))
        environ[SESSION_ENVIRON_KEY] = session

        def starting(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> Callable[[bytes], object]:
            if exc_info is None:
                cookie = session.commit()
                if cookie is not None:
                    headers = [*headers, ("Set-Cookie", cookie)]
                if session.loaded and not _varies_on_cookie(headers):
                    headers = [*headers, _VARY_COOKIE]
                return start_response(status, headers)
            return start_response(status, headers, exc_info)

        return self.app(environ, starting)


class SessionHandlerMiddleware:
    """The App handler middleware giving each request a session (see the module documentation).

    Typed structurally, generic over the request class, so it fits
    ``shallot.routing.Middleware`` without this package importing shallot.routing.
    """

    __slots__ = ("factory",)

    def __init__(self, factory: Callable[[], ManagedSession]) -> None:
        self.factory = factory

    def __call__(
        self, request: RequestT, following: Callable[[RequestT], BaseResponse | None], /
    ) -> BaseResponse | None:
        """Attach a session to ``request``, answer with ``following``, save what changed."""
        session = self.factory()
        session.bind(request)
        request.environ[SESSION_ENVIRON_KEY] = session
        try:
            response = following(request)
        except HTTPException as error:
            _save(session, error.response)
            raise
        if response is not None:
            _save(session, response)
        return response


def _save(session: ManagedSession, response: BaseResponse) -> None:
    """Commit ``session`` into ``response``: its ``Set-Cookie`` when it changed, and
    ``Vary: Cookie`` when it was read at all."""
    cookie = session.commit()
    if cookie is not None:
        response.headers.add("Set-Cookie", cookie)
    if session.loaded and not _varies_on_cookie(response.headers):
        response.headers.add(*_VARY_COOKIE)


def _varies_on_cookie(headers: Iterable[tuple[str, str]]) -> bool:
    """Whether a ``Vary`` field among ``headers`` already lists ``Cookie`` (or ``*``)."""
    for name, value in headers:
        if name.lower() == "vary":
            for token in value.split(","):
                if token.strip().lower() in ("cookie", "*"):
                    return True
    return False


def session_middleware(
    factory: Callable[[], ManagedSession],
) -> Callable[[dict[str, object]], SessionHandlerMiddleware]:
    """The App middleware factory for sessions made by ``factory``:
    ``App(middleware=[session_middleware(factory)])``."""

    def build(options: dict[str, object]) -> SessionHandlerMiddleware:
        return SessionHandlerMiddleware(factory)

    return build
