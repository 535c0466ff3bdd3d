"""The App: a WSGI application that routes requests to handlers, on :mod:`shallot.http`.

It does what PoorWSGI's ``Application`` and Wheezy's ``WSGIApplication`` do (routes with typed
filters and method flags, default, state and error handlers, before and after hooks, handler
middleware and transforms) and adds reverse routing. See the package README for a tour.

The request path is kept short, because every request pays for it: a static route is one dict
lookup on the raw ``PATH_INFO`` and one on ``REQUEST_METHOD``, then the handler and
:func:`~shallot.http.make_response`. Decoding, path checks and the route trie only run when no
static route matched, and the 404 and 405 answers are prebuilt (while no after hook or middleware
could change them). A handler's text (a ``str``, or a ``str`` with a content type already checked)
and those prebuilt answers are sent without a response object when no middleware or after hook
would be given one (see :mod:`shallot.routing.answers`).

Errors are answered in one place (:mod:`shallot.routing.recovery`, the App's base class): an
:class:`~shallot.http.HTTPException` answers with its own response; any other exception goes to
the error handlers, else to a logged 500 that never shows a traceback unless ``debug`` is on.
"""

from __future__ import annotations

import os
import sys
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from shallot.http import (
    CHECKED_CONTENT_TYPES,
    DEFAULT_CONTENT_TYPE,
    DEFAULT_LIMITS,
    BaseResponse,
    HTTPException,
    asks_about_the_server,
    close_iterable,
    has_malformed_escape,
    internal_error,
    make_response,
    raw_request_target,
)
from shallot.routing.answers import Answer, as_response
from shallot.routing.filters import BUILTIN_FILTERS, Filter, make_filter
from shallot.routing.handler_middleware import build_chain
from shallot.routing.handlers import describe
from shallot.routing.hooks import Hooks
from shallot.routing.methods import METHOD_GET, method_names
from shallot.routing.patterns import has_dot_segment, parse_pattern
from shallot.routing.profiling import ProfiledChain
from shallot.routing.recovery import ErrorHandling, logger, request_line
from shallot.routing.request import RoutedRequest, options_from
from shallot.routing.table import Route, RouteTable
from shallot.routing.url_for import build_url

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shallot.http import FileFactory, RequestLimits
    from shallot.routing.handler_middleware import MiddlewareFactory
    from shallot.routing.handlers import (
        Handler,
    )
    from shallot.routing.methods import Methods
    from shallot.routing.profiling import ProfileRunner

__all__ = ["App"]

_H = TypeVar("_H", bound="Handler")
_T = TypeVar("_T")

DEFAULT_MAX_PATH_LENGTH = 4096
"""Characters of decoded path the App accepts before answering 414 URI Too Long."""


class _UploadsClosingBody:
    """A response body that closes the request's uploads once the server is done with it, so
    their temporary files go as soon as the answer is sent (and no sooner: the body may still
    read them)."""

    __slots__ = ("_body", "_request")

    def __init__(self, body: Iterable[bytes], request: RoutedRequest) -> None:
        self._body = body
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._body)

    def close(self) -> None:
        try:
            close_iterable(self._body)
        finally:
            self._request.close()


class App(ErrorHandling, Hooks):
    """A routed WSGI application.

    ``middleware`` are Wheezy-style factories, run here once in order with ``options`` (see
    :mod:`shallot.routing.handler_middleware`); ``debug`` turns on the ``/debug-info`` page and
    traceback pages for unhandled errors (never in production: they show the environ);
    ``limits`` and ``file_factory`` are given to every request; paths longer than
    ``max_path_length`` characters get 414.
    """

    def __init__(
        self,
        *,
        middleware: Iterable[MiddlewareFactory] = (),
        options: Mapping[str, object] | None = None,
        debug: bool = False,
        limits: RequestLimits | None = None,
        file_factory: FileFactory | None = None,
        max_path_length: int = DEFAULT_MAX_PATH_LENGTH,
    ) -> None:
        ErrorHandling.__init__(self)
        Hooks.__init__(self)
        self.debug = debug
        self.limits = DEFAULT_LIMITS if limits is None else limits
        self.file_factory = file_factory
        self.max_path_length = max_path_length
        self.options: dict[str, object] = dict(options or {})
        """The options the middleware factories were given (and may have filled in)."""
        self._table = RouteTable()
        self._static = self._table.static
        self._filters: dict[str, Filter] = dict(BUILTIN_FILTERS)
        self._chain = build_chain(middleware, self.options, self._routed_response)
        self._has_middleware = self._chain != self._routed_response
        self._unprofiled: Callable[[RoutedRequest], Answer | None] = (
            self._chain if self._has_middleware else self._route
        )
        """What answers a request when not profiling: the middleware chain, or without middleware
        :meth:`_route` itself (whose text answers need no response object then)."""
        self._handle: Callable[[RoutedRequest], Answer | None] = self._unprofiled

    def __repr__(self) -> str:
        return f"<{type(self).__name__} with {len(self._table)} routes>"

    # -- answering requests -------------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer one request (the WSGI entry point)."""
        request = RoutedRequest(environ, self)
        answer: Answer
        try:
            handled = self._handle(request)
            answer = self._state(request, 404) if handled is None else handled
        except HTTPException as error:
            answer = error.response
        except Exception as error:
            answer = self._recover(request, error)
        body: Iterable[bytes]
        if not isinstance(answer, tuple):
            body = self._send(request, answer, start_response)
        elif self._after:
            body = self._send(request, as_response(answer), start_response)
        else:
            status, headers, data = answer
            start_response(status, headers)
            body = [] if environ.get("REQUEST_METHOD") == "HEAD" else [data]
        request_type = environ.get("CONTENT_TYPE")
        if request_type and request_type[0] in "mM" and request_type[:10].lower() == "multipart/":
            return _UploadsClosingBody(body, request)
        return body

    def _send(
        self, request: RoutedRequest, response: BaseResponse, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Send ``response``, through the after hooks; a 500 when sending fails."""
        if self._after:
            response = self._run_after(request, response)
        environ = request.environ
        try:
            return response(environ, start_response)
        except Exception:
            logger.exception("%s: the response failed", request_line(request))
            exc_info = sys.exc_info()

            def restart(
                status: str, headers: list[tuple[str, str]], _: OptExcInfo | None = None, /
            ) -> Callable[[bytes], object]:
                return start_response(status, headers, exc_info)

            return internal_error()(environ, restart)

    def _routed_response(self, request: RoutedRequest) -> BaseResponse:
        """The innermost link of a middleware chain: :meth:`_route`, always a response."""
        return as_response(self._route(request))

    def _route(self, request: RoutedRequest) -> Answer:
        """Find the handler and answer with it: its text prepared for sending, anything else
        made a response.

        A static route is found first, on the raw ``PATH_INFO``; only then is the path decoded
        and checked, and the trie of routes with groups consulted; a path no route takes goes
        on to :meth:`_unrouted`.
        """
        environ = request.environ
        raw: str = environ.get("PATH_INFO") or "/"
        method: str = environ.get("REQUEST_METHOD") or "GET"
        static = self._static.get(raw)
        route = None if static is None else static.get(method)
        values: tuple[object, ...] = ()
        if route is None:
            path = raw
            if not raw.isascii():
                try:
                    path = raw.encode("latin-1").decode("utf-8")
                except UnicodeEncodeError:
                    pass  # not Latin-1: a server that already decoded the path
                except UnicodeDecodeError:
                    return self._refuse(request, 400, "the path is not valid UTF-8")
            if len(path) > self.max_path_length:
                message = f"the path is longer than {self.max_path_length} characters"
                return self._refuse(request, 414, message)
            if "/." in path and has_dot_segment(path):
                return self._refuse(request, 400, "the path has '.' or '..' segments")
            if "\x00" in path:  # a handler passing it to the OS would fail with a 500
                return self._refuse(request, 400, "the path holds a NUL character")
            if "%" in raw:
                raw_target = raw_request_target(environ)
                if raw_target is not None and has_malformed_escape(raw_target.split("?")[0]):
                    return self._refuse(request, 400, "malformed percent-encoding in the path")
            route, values, allowed = self._table.match(path, method)
            if route is None:
                return self._unmatched(request, raw, path, method, allowed, static)
            request._values = values
        request.route = route
        if self._before:
            self._run_before(request)
        # A call with *values is several times dearer than a plain one, so a static route (no
        # values) and a route with one value, the most common ones, make plain calls.
        if not values:
            result = route.handler(request)
        elif len(values) == 1:
            result = route.handler(request, values[0])
        else:
            result = route.handler(request, *values)
        try:
            # Text is sent as it is; mypy cannot narrow ``result`` through ``kind``.
            kind = type(result)
            text: str
            content_type: str
            charset: str | None = None
            if kind is tuple and len(result) == 2:  # type: ignore[arg-type]
                text, content_type = result  # type: ignore[misc, str-unpack, assignment]
                if type(text) is str and type(content_type) is str:
                    charset = CHECKED_CONTENT_TYPES.get(content_type)
            elif kind is str:
                text, content_type, charset = result, DEFAULT_CONTENT_TYPE, "utf-8"  # type: ignore[assignment]
            if charset is not None:
                data = text.encode(charset)
                fields = [("Content-Type", content_type), ("Content-Length", str(len(data)))]
                return "200 OK", fields, data
            return make_response(result)
        except (TypeError, ValueError) as error:
            return self._unusable(request, route.handler, result, error)

    def _refuse(self, request: RoutedRequest, status_code: int, message: str) -> Answer:
        """The answer to a path the App will not route (before hooks still run)."""
        if self._before:
            self._run_before(request)
        return self._state(request, status_code, frozenset(), message)

    def _unmatched(
        self,
        request: RoutedRequest,
        raw: str,
        path: str,
        method: str,
        allowed: frozenset[str],
        static: Mapping[str, Route] | None,
    ) -> Answer:
        """A path no route takes for ``method``: 405 or ``OPTIONS`` when routes take the path
        with other methods (``allowed``, and those of ``static``, the static routes on ``raw``);
        else the debug page, a default handler, ``OPTIONS *``, or 404."""
        if self._before:
            self._run_before(request)
        if static is not None:
            methods = self._table.static_methods[raw]  # static's methods, as one set made once
            allowed = allowed | methods if allowed else methods
        if allowed:
            if method == "OPTIONS":
                return self._options(allowed)
            return self._state(request, 405, allowed)
        if self.debug and path == "/debug-info" and method in ("GET", "HEAD"):
            from shallot.routing.debug_page import debug_page  # only ever needed in debug

            return debug_page(request)
        if self._defaults:
            default = self._defaults.get(method)
            if default is None and method == "HEAD":
                default = self._defaults.get("GET")
            if default is not None:
                result = default(request)
                try:
                    return make_response(result)
                except (TypeError, ValueError) as error:
                    return self._unusable(request, default, result, error)
        if asks_about_the_server(request.environ):
            return self._options({name for route in self._table for name in route.methods})
        return self._state(request, 404)

    def _run_before(self, request: RoutedRequest) -> None:
        for hook in self._before:
            hook(request)

    def _run_after(self, request: RoutedRequest, response: BaseResponse) -> BaseResponse:
        """The after hooks in order; one that fails is handled like a handler's error, and the
        hooks after it are skipped."""
        for hook in self._after:
            try:
                answer = hook(request, response)
                if not isinstance(answer, BaseResponse):
                    raise TypeError(f"{hook!r} returned {type(answer).__name__}, not a response")
                response = answer
            except HTTPException as error:
                response = error.response
            except Exception as error:
                return as_response(self._recover(request, error))
        return response

    # -- routes ---------------------------------------------------------------------------------

    def route(
        self, pattern: str, methods: Methods = METHOD_GET, *, name: str | None = None
    ) -> Callable[[_H], _H]:
        """Decorator form of :meth:`set_route`; returns the handler unchanged."""

        def register(handler: _H) -> _H:
            self.set_route(pattern, handler, methods, name=name)
            return handler

        return register

    def set_route(
        self,
        pattern: str,
        handler: Handler,
        methods: Methods = METHOD_GET,
        *,
        name: str | None = None,
    ) -> Route:
        """Route requests for ``pattern`` with ``methods`` to ``handler``.

        ``handler(request, *values)`` receives the group values converted by their filters, in
        pattern order. ``GET`` also answers ``HEAD``. ``name`` (default: the handler's
        ``__name__``) is what :meth:`url_for` knows the route by. Raises
        :class:`~shallot.routing.exceptions.RouteError` for a bad pattern or a method already
        routed for it (pop it first to replace it).
        """
        if not callable(handler):
            raise TypeError(f"a handler must be callable, not {type(handler).__name__}")
        route = Route(
            parse_pattern(pattern, self._filters),
            handler,
            method_names(methods),
            name or getattr(handler, "__name__", None) or repr(handler),
        )
        self._table.add(route)
        return route

    def pop_route(self, pattern: str, methods: Methods | None = None) -> list[Route]:
        """Unroute ``methods`` (default: all) of ``pattern``; returns what was removed.

        :class:`KeyError` when the pattern has no route for those methods.
        """
        return self._table.remove(pattern, None if methods is None else method_names(methods))

    @property
    def routes(self) -> tuple[Route, ...]:
        """Every route, in registration order."""
        return tuple(self._table)

    def set_filter(
        self,
        name: str,
        regex: str,
        convert: Callable[[str], _T] = str,  # type: ignore[assignment]  # str is the T=str case
        to_url: Callable[[_T], str] = str,
        *,
        url_safe: str = "",
    ) -> Filter:
        """Define (or redefine) filter ``name`` for the routes registered from now on.

        ``regex`` matches the parameter's text, ``convert`` makes the value the handler gets
        (raising :class:`ValueError` means "no match"), ``to_url`` turns a value back into text
        for :meth:`url_for`, which leaves the characters of ``url_safe`` unquoted.
        """
        made = make_filter(name, regex, convert, to_url, url_safe)
        self._filters[name] = made
        return made

    @property
    def filters(self) -> Mapping[str, Filter]:
        """The filters by name (a read-only view)."""
        return MappingProxyType(self._filters)

    def url_for(
        self, endpoint: str | Handler, /, *, script_name: str = "", **params: object
    ) -> str:
        """The path of the route named ``endpoint`` (or routed to that handler) with ``params``.

        Among the endpoint's routes, the first whose groups are exactly the given parameters is
        used. Values go through their filters' ``to_url`` and must match the filter; they are
        percent-encoded. ``script_name`` is prefixed (``request.url_for`` passes the request's).
        :class:`~shallot.routing.exceptions.BuildError` when it cannot be built.
        """
        routes = self._table.routes_for(endpoint)
        label = repr(endpoint) if isinstance(endpoint, str) else describe(endpoint)
        return build_url(routes, label, params, script_name)

    # -- profiling ------------------------------------------------------------------------------

    def set_profile(self, runctx: ProfileRunner, prefix: str | os.PathLike[str]) -> None:
        """Profile every request from now on, one file per request (PoorWSGI's ``set_profile``).

        ``runctx`` is :func:`cProfile.runctx` (or anything shaped like it); ``prefix`` starts
        each file's path, e.g. ``"/tmp/profiles/req"`` gives
        ``/tmp/profiles/req_GET_users_7.<stamp>.profile``, loadable with :mod:`pstats`. Calling
        it again replaces the previous settings. See :mod:`shallot.routing.profiling` for what
        is profiled and the errors a bad ``prefix`` raises.
        """
        self._handle = ProfiledChain(self._chain, runctx, prefix)

    def del_profile(self) -> None:
        """Stop profiling (nothing happens when the App is not profiling)."""
        self._handle = self._unprofiled

    # -- options ----------------------------------------------------------------------------------

    @staticmethod
    def get_options() -> dict[str, str]:
        """The application variables of the process environment: ``app_`` names, without the
        prefix, lower-cased (``APP_DB=x`` gives ``{"db": "x"}``), as PoorWSGI reads them."""
        return options_from(os.environ)
