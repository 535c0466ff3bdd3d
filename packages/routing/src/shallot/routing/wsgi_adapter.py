"""Any WSGI application's answer as a :mod:`shallot.http` response (Wheezy's WSGIAdapterMiddleware).

:func:`call_wsgi_app` calls a plain WSGI application with a request's environ and returns a
:class:`WSGIAppResponse`, which the App's middleware, after hooks and transforms handle like any
other response (change its headers, replace it, cache it), and which then sends what the
application produced, as PEP 3333 asks of a server:

- the status code and every header as the application gave them, repeated fields (two
  ``Set-Cookie``) included; the reason phrase becomes the standard one for the code;
- the body stays a stream: nothing is read ahead except, for an application that calls
  ``start_response`` only when its iterable is first advanced (a generator), the first item,
  which is needed to learn the status;
- bytes passed to the ``write()`` callable come before the iterable's, in order, also when
  ``write()`` is called while the iterable runs;
- ``close()`` of the application's iterable is called exactly once: when the server closes the
  body, when no body is sent (``HEAD``, 204, 304), when something in the App fails or replaces the
  response before it is sent (when the response is dropped), and when the application breaks the
  protocol;
- ``start_response`` called again with ``exc_info`` replaces the status and headers while the
  response has not been handed to the server, and re-raises the application's error after (PEP
  3333's "headers already sent"); called again without ``exc_info``, it raises
  :class:`WSGIAppError`.

The application gets the request's own environ, so keys it sets there are seen by the middleware
around it (the way Wheezy's environ cache adapter works). It reads ``wsgi.input`` itself: a
middleware in front that reads the body must put it back.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from shallot.http import GeneratorResponse, close_iterable
from shallot.routing.recovery import logger

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.http import BaseResponse
    from shallot.routing.request import RoutedRequest

__all__ = ["WSGIAppError", "WSGIAppResponse", "WSGIHandler", "call_wsgi_app"]

_HOP_BY_HOP = frozenset(
    (
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailers",
        "transfer-encoding",
        "upgrade",
    )
)


class WSGIAppError(RuntimeError):
    """A wrapped WSGI application broke PEP 3333; ``reason`` says how.

    Raised where the fault is found: from :func:`call_wsgi_app` (the App answers 500 and logs it),
    from ``start_response`` or ``write()`` (into the application), or while the body streams.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"the WSGI application broke PEP 3333: {reason}")


class _LegacyBody:
    """The application's output: what ``write()`` gave, then its iterable; closes it once."""

    __slots__ = (
        "__weakref__",
        "_closed",
        "_first",
        "_iterator",
        "_result",
        "handed",
        "pending",
    )

    def __init__(self) -> None:
        self.pending: list[bytes] = []
        self.handed = False
        """Whether the response has been handed to the server (its headers are "sent")."""
        self._result: Iterable[bytes] = ()
        self._iterator: Iterator[bytes] | None = None
        self._first: list[bytes] = []
        self._closed = False

    def attach(self, result: Iterable[bytes]) -> None:
        self._result = result

    def pull_first(self) -> None:
        """Advance the iterable once, so a lazy application calls ``start_response``."""
        self._iterator = iter(self._result)
        for item in self._iterator:
            self._first.append(item)
            break

    def __iter__(self) -> Iterator[bytes]:
        pending = self.pending
        yield from self._drain()
        iterator = iter(self._result) if self._iterator is None else self._iterator
        for item in self._first:
            yield from self._drain()
            yield _checked(item)
        for item in iterator:
            if pending:
                yield from self._drain()
            yield _checked(item)
        yield from self._drain()

    def _drain(self) -> Iterator[bytes]:
        pending = self.pending
        while pending:
            yield pending.pop(0)

    @property
    def closed(self) -> bool:
        """Whether the application's iterable has been closed."""
        return self._closed

    def close(self) -> None:
        """Close the application's iterable, once."""
        if self._closed:
            return
        self._closed = True
        close_iterable(self._result)

    def __del__(self) -> None:
        if not self._closed:
            try:
                self.close()
            except Exception:
                logger.exception("closing a WSGI application's unsent body failed")


def _checked(item: object) -> bytes:
    if type(item) is not bytes:
        raise WSGIAppError(f"its iterable yielded {type(item).__name__}, not bytes")
    return item


class _StartResponse:
    """The ``start_response`` (and ``write``) one call of the application gets.

    It refers to the body weakly: an application's generator usually holds ``start_response``,
    and the body holds the generator, so a strong reference would make a cycle that only the
    garbage collector could free (closing an unsent body late).
    """

    __slots__ = ("_body", "headers", "status")

    def __init__(self, body: _LegacyBody) -> None:
        self._body = weakref.ref(body)
        self.status: str | None = None
        self.headers: list[tuple[str, str]] = []

    def __call__(
        self, status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        if exc_info is not None and exc_info[1] is not None:
            body = self._body()
            if body is None or body.handed:
                raise exc_info[1].with_traceback(exc_info[2])
        elif self.status is not None:
            raise WSGIAppError("start_response was called twice without exc_info")
        self.status = status
        self.headers = headers
        return self.write

    def write(self, data: bytes) -> None:
        if type(data) is not bytes:
            raise WSGIAppError(f"write() was given {type(data).__name__}, not bytes")
        body = self._body()
        if body is None or body.closed:
            raise WSGIAppError("write() was called after the body was closed")
        if data:
            body.pending.append(data)


class WSGIAppResponse(GeneratorResponse):
    """What a WSGI application answered, as a streamed :mod:`shallot.http` response (see the
    module documentation). Like any streamed response it answers one request."""

    __slots__ = ("_legacy",)

    def __init__(self, body: _LegacyBody, status_code: int, headers: list[tuple[str, str]]) -> None:
        super().__init__(body, None, headers, status_code)
        self._legacy = body

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Send the status and headers; the body streams as the application produces it."""
        self._legacy.handed = True
        return super().__call__(environ, start_response)


def call_wsgi_app(app: WSGIApplication, environ: WSGIEnvironment) -> WSGIAppResponse:
    """Call ``app`` with ``environ`` and return its answer as a response (see the module
    documentation). An exception from ``app`` propagates; a broken answer (no
    ``start_response``, a malformed status, a hop-by-hop or unsafe header) raises
    :class:`WSGIAppError` after closing what ``app`` returned.
    """
    body = _LegacyBody()
    start = _StartResponse(body)
    body.attach(app(environ, start))
    try:
        if start.status is None:
            body.pull_first()
        if start.status is None:
            raise WSGIAppError("it returned its body without calling start_response")
        status_code = _status_code(start.status)
        try:
            return WSGIAppResponse(body, status_code, _headers(start.headers))
        except (TypeError, ValueError) as error:
            raise WSGIAppError(f"unusable headers ({error})") from None
    except BaseException:
        body.close()
        raise


def _status_code(status: object) -> int:
    if not isinstance(status, str) or not (len(status) == 3 or status[3:4] == " "):
        raise WSGIAppError(f"malformed status {status!r}")
    code = status[:3]
    if not (code.isascii() and code.isdigit() and 100 <= int(code) <= 599):
        raise WSGIAppError(f"malformed status {status!r}")
    return int(code)


def _headers(headers: object) -> list[tuple[str, str]]:
    """The application's headers, refused when hop-by-hop (PEP 3333 leaves those to servers);
    :class:`~shallot.http.Headers` checks names and values when the response is built."""
    if not isinstance(headers, list):
        raise WSGIAppError(f"its headers are a {type(headers).__name__}, not a list")
    for pair in headers:
        if isinstance(pair, tuple) and pair and str(pair[0]).lower() in _HOP_BY_HOP:
            raise WSGIAppError(f"it sent the hop-by-hop header {pair[0]!r}")
    return headers


class WSGIHandler:
    """A handler that answers with ``app``, a plain WSGI application, given the request's
    environ as it is: as the App's fallback (``app.set_default(WSGIHandler(legacy), METHOD_ALL)``),
    or for a route (its values are not passed on). Wrap it in
    :func:`~shallot.routing.response_transforms` to transform what ``app`` answers.
    """

    __slots__ = ("app",)

    def __init__(self, app: WSGIApplication) -> None:
        if not callable(app):
            raise TypeError(f"a WSGI application must be callable, not {type(app).__name__}")
        self.app = app

    def __call__(self, request: RoutedRequest, /, *values: object) -> BaseResponse:
        """Answer ``request`` with the application (see :func:`call_wsgi_app`)."""
        return call_wsgi_app(self.app, request.environ)

    def __repr__(self) -> str:
        return f"WSGIHandler({self.app!r})"
