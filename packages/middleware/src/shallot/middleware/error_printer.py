"""Exceptions of an application turned into a clean 500, logged once with the request line.

::

    app = ErrorPrinter(app)                 # production: "500 Internal Server Error", no details
    app = ErrorPrinter(app, debug=True)     # development: an HTML page with the traceback

The application's answer is held back until its body yields its first non-empty piece: until
then, an exception (from the call, or from the body) can still be answered with a 500 in place of
whatever the application had started. After that the status and headers are out; an exception is
logged and re-raised so the server cuts the connection, as a truncated body must never pass for a
complete one. A body the server can send as a file (an instance of the environ's
``wsgi.file_wrapper``) is passed through untouched, so the server's fast path still applies.

Each failure is logged once on the ``shallot.middleware`` logger (or the one given) at ERROR
level with the method, the path and the traceback. The debug page escapes everything it shows.
A :class:`shallot.http.HTTPException` escaping the application is answered with its response,
as it is an answer and not a failure.
"""

from __future__ import annotations

import html
import logging
import traceback
from typing import TYPE_CHECKING

from shallot.http import HTTPException, Response, close_iterable, internal_error

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["ErrorPrinter"]

LOGGER = logging.getLogger("shallot.middleware")
"""Where failures are logged unless another logger is given."""


def _request_line(environ: WSGIEnvironment) -> str:
    path: str = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING")
    return f"{environ.get('REQUEST_METHOD', 'GET')} {path}{'?' + query if query else ''}"


def debug_page(environ: WSGIEnvironment, error: BaseException) -> Response:
    """A 500 answer showing the request line and the traceback of ``error``, all escaped."""
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    body = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        "<title>500 Internal Server Error</title></head>\n<body>"
        "<h1>500 Internal Server Error</h1>\n"
        f"<p><code>{html.escape(_request_line(environ))}</code></p>\n"
        f"<pre>{html.escape(trace)}</pre>\n</body></html>\n"
    )
    response = Response(body, "text/html; charset=utf-8", status_code=500)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


class _Start:
    """The ``start_response`` the application gets: it records, and only passes the answer on
    when the body starts (or the application uses the ``write`` callable)."""

    __slots__ = ("pending", "sent", "start_response", "write")

    def __init__(self, start_response: StartResponse) -> None:
        self.start_response = start_response
        self.pending: tuple[str, list[tuple[str, str]]] | None = None
        self.sent = False
        self.write: Callable[[bytes], object] | None = None

    def __call__(
        self, status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        if exc_info is not None and self.sent:
            raise exc_info[1].with_traceback(exc_info[2])  # type: ignore[union-attr]  # PEP 3333
        self.pending = (status, headers)
        return self.write_now

    def send(self) -> None:
        """Pass the recorded status and headers to the server."""
        if self.pending is None:
            raise RuntimeError("the application did not call start_response")
        if not self.sent:
            self.sent = True
            self.write = self.start_response(*self.pending)

    def write_now(self, data: bytes) -> None:
        self.send()
        assert self.write is not None
        self.write(data)


class ErrorPrinter:
    """Turn the exceptions of ``app`` into 500 answers and log them; see the module
    documentation. ``debug`` shows the traceback page instead of the plain 500."""

    __slots__ = ("_app", "_logger", "debug")

    def __init__(
        self, app: WSGIApplication, debug: bool = False, logger: logging.Logger | None = None
    ) -> None:
        """Wrap ``app``."""
        self._app = app
        self.debug = debug
        self._logger = LOGGER if logger is None else logger

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Call the application, answering 500 for what fails before its body starts."""
        start = _Start(start_response)
        try:
            body = self._app(environ, start)
        except HTTPException as error:
            return self._answer(environ, start, error.response)
        except Exception as error:
            return self._fail(environ, start, error)
        file_wrapper = environ.get("wsgi.file_wrapper")
        if isinstance(file_wrapper, type) and isinstance(body, file_wrapper):
            start.send()
            return body
        iterator = iter(body)
        try:
            first = b""
            for chunk in iterator:
                if chunk:
                    first = chunk
                    break
            start.send()
        except Exception as error:
            close_iterable(body)
            return self._fail(environ, start, error)
        return _GuardedBody(first, iterator, body, self._logger, environ)

    def _answer(
        self, environ: WSGIEnvironment, start: _Start, response: WSGIApplication
    ) -> Iterable[bytes]:
        if start.sent:
            raise RuntimeError("the answer had started when the application failed")
        return response(environ, start.start_response)

    def _fail(self, environ: WSGIEnvironment, start: _Start, error: Exception) -> Iterable[bytes]:
        self._logger.error(
            "error answering %s",
            _request_line(environ),
            exc_info=(type(error), error, error.__traceback__),
        )
        if start.sent:
            raise error
        page = debug_page(environ, error) if self.debug else internal_error()
        return page(environ, start.start_response)


class _GuardedBody:
    """The rest of the application's body: failures are logged, then raised to cut the answer."""

    __slots__ = ("_body", "_environ", "_first", "_iterator", "_logger")

    def __init__(
        self,
        first: bytes,
        iterator: Iterator[bytes],
        body: Iterable[bytes],
        logger: logging.Logger,
        environ: WSGIEnvironment,
    ) -> None:
        self._first = first
        self._iterator = iterator
        self._body = body
        self._logger = logger
        self._environ = environ

    def __iter__(self) -> Iterator[bytes]:
        if self._first:
            yield self._first
        try:
            yield from self._iterator
        except Exception:
            self._logger.exception(
                "error answering %s (after the answer started)", _request_line(self._environ)
            )
            raise

    def close(self) -> None:
        """Close the application's body."""
        close_iterable(self._body)
