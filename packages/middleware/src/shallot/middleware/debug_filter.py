"""Every request and its response written to a logger: what a client and an application really
said to each other, for debugging (WsgiDAV's ``WsgiDavDebugFilter``).

::

    logging.basicConfig(level=logging.DEBUG)
    app = DebugFilter(app, verbosity=Verbosity.BODIES, methods={"PROPFIND", "PROPPATCH"})

Each request gets a number that starts each of its records, so that the records of concurrent
requests can be told apart::

    #7 PROPFIND /docs/?depth=1 HTTP/1.1
        Depth: 1
        Authorization: <redacted>
        Content-Type: text/xml
    #7 request body, 97 bytes:
        <?xml version="1.0"?>
        <propfind xmlns="DAV:"><allprop/></propfind>
    #7 response 207 Multi-Status
        Content-Type: application/xml; charset=utf-8
    #7 response body, first 2048 bytes:
        ...
    #7 done: 207 Multi-Status, 5120 bytes sent in 3.1 ms

- :attr:`Verbosity.SUMMARY`: the request line when the application is called, and the status,
  the bytes sent and the time taken when the server closes the response body (so the time covers
  the whole body).
- :attr:`Verbosity.HEADERS`: also the request headers (those named in ``headers``) and every
  response header, when the application calls ``start_response``.
- :attr:`Verbosity.BODIES`: also the first ``body_bytes`` of request and response bodies whose
  type is XML (``text/xml``, ``application/xml``, ``*/*+xml``), each logged once the capture is
  full, the body ended, or (for the request) the response started.

Records go to the ``shallot.middleware.debug`` logger at DEBUG level. When that logger is not
enabled for DEBUG (logging's default), or a request is left out by ``methods`` or ``paths``, the
application is called with the environ and ``start_response`` untouched and its body is handed to
the server as it is: the filter then costs one level check.

**Secrets.** The values of ``Authorization``, ``Proxy-Authorization``, ``Cookie`` and
``Set-Cookie`` (and of any header named in ``redact``) are never written, at any verbosity: the
header's name is logged with ``<redacted>``. Query strings and XML bodies are logged as they are.

**Streaming.** The request body is seen as the application reads it (the filter never reads it
itself, nor more than the application asked for), and the response body as the server iterates
it, so a streamed answer stays streamed. ``close()`` reaches the application's body exactly once.
The server always gets the filter's body object (it must learn when the body is closed), so a
``wsgi.file_wrapper`` body is iterated rather than handed to the server's file fast path.

**Bad input.** Paths that are not UTF-8, control characters and values that are not strings
are logged escaped: every line a record writes starts with the request's number or an indent, so
no input can forge a record. An exception raised by the
application, its body, its ``close()`` or ``wsgi.input`` is logged in one line and re-raised
unchanged: the answer is the same as without the filter.
"""

from __future__ import annotations

import enum
import fnmatch
import itertools
import logging
import re
import time
from typing import TYPE_CHECKING, Literal

from shallot.http import close_iterable
from shallot.middleware.debug_bodies import BodyCapture, WatchedInput, is_xml
from shallot.middleware.log_text import describe_error, log_text, wsgi_decoded

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["DEFAULT_BODY_BYTES", "LOGGER", "REDACTED_HEADERS", "DebugFilter", "Verbosity"]

LOGGER = logging.getLogger("shallot.middleware.debug")
"""Where the filter logs unless another logger is given."""

DEFAULT_BODY_BYTES = 2048
"""How many bytes of each XML body are logged at :attr:`Verbosity.BODIES` by default."""

REDACTED_HEADERS = frozenset(("authorization", "proxy-authorization", "cookie", "set-cookie"))
"""Headers (lower case) whose values are never logged, whatever the filter is given."""


class Verbosity(enum.IntEnum):
    """How much :class:`DebugFilter` logs; each level adds to the one before."""

    SUMMARY = 1
    """The request line, then status, bytes sent and time taken."""
    HEADERS = 2
    """Also the request headers and the response headers."""
    BODIES = 3
    """Also the first bytes of XML request and response bodies."""


def _environ_str(environ: WSGIEnvironment, key: str) -> str:
    value = environ.get(key, "")
    return value if isinstance(value, str) else ""


class _Exchange:
    """One request passing through the filter: its records, the ``start_response`` the
    application gets, and the body handed to the server."""

    __slots__ = (
        "_body",
        "_closed",
        "_ended",
        "_environ",
        "_filter",
        "_number",
        "_request_body",
        "_response_body",
        "_sent",
        "_start_response",
        "_started",
        "_status",
    )

    def __init__(
        self, debug: DebugFilter, environ: WSGIEnvironment, start_response: StartResponse
    ) -> None:
        self._filter = debug
        self._number = next(debug._numbers)
        self._environ = environ
        self._start_response = start_response
        self._started = time.perf_counter()
        self._status = "-"
        self._sent = 0
        self._closed = False
        self._ended = False
        self._body: Iterable[bytes] = ()
        self._request_body: BodyCapture | None = None
        self._response_body: BodyCapture | None = None

    def emit(self, text: str) -> None:
        """Log one record of this exchange."""
        self._filter.logger.debug("#%d %s", self._number, text)

    def _elapsed(self) -> str:
        return f"{(time.perf_counter() - self._started) * 1000:.1f} ms"

    def run(self) -> Iterable[bytes]:
        """Log the request, call the application; the body for the server."""
        debug = self._filter
        environ = self._environ
        self.emit(debug.request_record(environ))
        stream = environ.get("wsgi.input")
        if (
            debug.verbosity >= Verbosity.BODIES
            and stream is not None
            and is_xml(environ.get("CONTENT_TYPE"))
        ):
            length = _environ_str(environ, "CONTENT_LENGTH").strip()
            self._request_body = BodyCapture("request body", debug.body_bytes, self.emit)
            environ["wsgi.input"] = WatchedInput(
                stream,
                self._request_body,
                int(length) if length.isascii() and length.isdigit() else None,
            )
        try:
            self._body = debug.app(environ, self.start)
        except Exception as error:
            self.emit(f"the application raised {describe_error(error)} after {self._elapsed()}")
            raise
        return self

    def start(
        self, status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        """The application's ``start_response``: logs the answer, then passes it on as given."""
        if self._request_body is not None:
            self._request_body.flush(ended=False)
        self._status = log_text(status)
        debug = self._filter
        if debug.verbosity >= Verbosity.HEADERS:
            self.emit(debug.response_record(self._status, headers))
        if debug.verbosity >= Verbosity.BODIES and self._response_body is None:
            content_type = debug.content_type(headers)
            if is_xml(content_type):
                self._response_body = BodyCapture("response body", debug.body_bytes, self.emit)
        write = self._start_response(status, headers, exc_info)

        def counted_write(data: bytes) -> object:
            self._count(data)
            return write(data)

        return counted_write

    def _count(self, data: bytes) -> None:
        if isinstance(data, bytes):
            self._sent += len(data)
            if self._response_body is not None:
                self._response_body.add(data)

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self._body:
                self._count(chunk)
                yield chunk
            self._ended = True
        except Exception as error:
            self.emit(f"the body raised {describe_error(error)} after {self._sent} bytes")
            raise

    def close(self) -> None:
        """Close the application's body (once), then log the summary."""
        if self._closed:
            return
        self._closed = True
        try:
            close_iterable(self._body)
        except Exception as error:
            self.emit(f"close() raised {describe_error(error)}")
            raise
        finally:
            if self._request_body is not None:
                self._request_body.flush(ended=False)
            if self._response_body is not None:
                self._response_body.flush(ended=self._ended)
            self.emit(f"done: {self._status}, {self._sent} bytes sent in {self._elapsed()}")


class DebugFilter:
    """Log each request to ``app`` and its response; see the module documentation.

    - ``verbosity``: a :class:`Verbosity` (or 1, 2, 3); default :attr:`Verbosity.HEADERS`.
    - ``methods``: only requests with one of these methods (exact, as HTTP methods are
      case-sensitive) are logged; default all.
    - ``paths``: only requests whose path (``SCRIPT_NAME + PATH_INFO``, decoded as UTF-8)
      matches one of these :mod:`fnmatch` patterns are logged; default all. Patterns are
      case-sensitive and ``*`` spans ``/``: ``"/docs/*"`` is everything below ``/docs/``,
      ``"*.xml"`` every XML file, ``"/docs"`` that one path only.
    - ``body_bytes``: how many bytes of each XML body are logged at :attr:`Verbosity.BODIES`.
    - ``logger``: default :data:`LOGGER` (``shallot.middleware.debug``); records are DEBUG.
    - ``headers``: the request headers logged from :attr:`Verbosity.HEADERS` on (names, any
      case), or ``"*"`` (the default) for all of them. Response headers are all logged (the
      value of one whose name is not a string is redacted: it cannot be told apart from a
      secret).
    - ``redact``: header names whose values are hidden too, beyond :data:`REDACTED_HEADERS`
      (which are hidden whatever is given here).

    Raises :class:`ValueError` for a verbosity other than 1 to 3 or a ``body_bytes`` below 1,
    :class:`TypeError` for a single string where a collection of names is expected.
    """

    __slots__ = (
        "_methods",
        "_numbers",
        "_paths",
        "_redacted",
        "_selected",
        "app",
        "body_bytes",
        "logger",
        "verbosity",
    )

    def __init__(
        self,
        app: WSGIApplication,
        *,
        verbosity: int = Verbosity.HEADERS,
        methods: Collection[str] | None = None,
        paths: Collection[str] | None = None,
        body_bytes: int = DEFAULT_BODY_BYTES,
        logger: logging.Logger | None = None,
        headers: Collection[str] | Literal["*"] = "*",
        redact: Collection[str] = (),
    ) -> None:
        """Check and keep the settings; see the class documentation."""
        if (
            isinstance(verbosity, bool)
            or not isinstance(verbosity, int)
            or verbosity not in (1, 2, 3)
        ):
            raise ValueError(f"verbosity must be 1, 2 or 3, not {verbosity!r}")
        if isinstance(body_bytes, bool) or not isinstance(body_bytes, int) or body_bytes < 1:
            raise ValueError(f"body_bytes must be a positive int, not {body_bytes!r}")
        for name, given in (("methods", methods), ("paths", paths), ("redact", redact)):
            if isinstance(given, str):
                raise TypeError(f"{name} must be a collection of strings, not the string {given!r}")
        if isinstance(headers, str) and headers != "*":
            raise TypeError(f'headers must be a collection of names or "*", not {headers!r}')
        self.app = app
        self.verbosity = Verbosity(verbosity)
        self.body_bytes = body_bytes
        self.logger = LOGGER if logger is None else logger
        self._methods = None if methods is None else frozenset(methods)
        self._paths = (
            None
            if paths is None
            else re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in paths))
        )
        self._selected = None if headers == "*" else frozenset(name.lower() for name in headers)
        self._redacted = REDACTED_HEADERS | {name.lower() for name in redact}
        self._numbers = itertools.count(1)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Call the application, logging the exchange when the logger and filters select it."""
        if not self.logger.isEnabledFor(logging.DEBUG) or not self._selects(environ):
            return self.app(environ, start_response)
        return _Exchange(self, environ, start_response).run()

    def _selects(self, environ: WSGIEnvironment) -> bool:
        if self._methods is not None:
            method = environ.get("REQUEST_METHOD")
            if not isinstance(method, str) or method not in self._methods:
                return False
        if self._paths is None:
            return True
        path = _environ_str(environ, "SCRIPT_NAME") + _environ_str(environ, "PATH_INFO")
        return self._paths.match(wsgi_decoded(path, "replace")) is not None

    def request_record(self, environ: WSGIEnvironment) -> str:
        """The request line, with the selected headers from :attr:`Verbosity.HEADERS` on."""
        path = _environ_str(environ, "SCRIPT_NAME") + _environ_str(environ, "PATH_INFO")
        query = _environ_str(environ, "QUERY_STRING")
        target = log_text(f"{path}?{query}" if query else path)
        method = log_text(environ.get("REQUEST_METHOD", "-"))
        line = f"{method} {target} {log_text(environ.get('SERVER_PROTOCOL', '-'))}"
        if self.verbosity < Verbosity.HEADERS:
            return line
        lines = [line]
        for key, value in environ.items():
            if not isinstance(key, str):
                continue
            if key.startswith("HTTP_"):
                name = key[5:]
            elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
                name = key
            else:
                continue
            name = "-".join(part.capitalize() for part in name.split("_"))
            lines.append(self._header_line(name, value, self._selected))
        return "\n".join(line for line in lines if line)

    def response_record(self, status: str, headers: list[tuple[str, str]]) -> str:
        """The status line the application gave, and its headers (never the content of
        something that is not a ``(name, value)`` pair, which could hold a secret)."""
        lines = [f"response {status}"]
        try:
            items = list(headers)
        except TypeError:
            items = []
            lines.append(f"    <headers that are not a list: {type(headers).__name__}>")
        for item in items:
            if isinstance(item, (tuple, list)) and len(item) == 2:
                lines.append(self._header_line(item[0], item[1], None))
            else:
                lines.append(f"    <not a (name, value) pair: {type(item).__name__}>")
        return "\n".join(line for line in lines if line)

    def _header_line(self, name: object, value: object, selected: frozenset[str] | None) -> str:
        lower = name.strip(" \t").lower() if isinstance(name, str) else None
        if selected is not None and lower not in selected:
            return ""
        hidden = lower is None or lower in self._redacted
        shown = "<redacted>" if hidden else log_text(value)
        return f"    {log_text(name)}: {shown}"

    @staticmethod
    def content_type(headers: list[tuple[str, str]]) -> str | None:
        """The ``Content-Type`` among ``headers``, or ``None`` (also for malformed headers)."""
        try:
            for name, value in headers:
                if isinstance(name, str) and name.lower() == "content-type":
                    return value
        except (TypeError, ValueError):
            return None
        return None
