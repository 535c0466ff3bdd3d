"""A reverse proxy in front of an application: Werkzeug's ``ProxyMiddleware``, streaming both
ways and honest about failures.

::

    app = Proxy(app, {
        "/api": ProxyTarget("http://127.0.0.1:9000/", remove_prefix=True),
        "/legacy": ProxyTarget("https://old.example/", host=None, ssl_context=context),
    })

A request under a prefix (whole segments, longest first) is sent to its target over an
``http.client`` connection; others go to ``app``. Connections are kept alive between requests
(up to ``pool_size`` idle per target), and an idempotent request without a body that meets a kept
connection the upstream has closed is sent once more on a fresh one (see
:mod:`shallot.middleware.upstream_pool`). Bodies are streamed in ``chunk_size`` pieces in both
directions, so a body of any size costs one piece of memory: a request body with a
``Content-Length`` is sent with it, one without (chunked, ``wsgi.input_terminated``) is sent
chunked; the answer is read as it arrives, and when the server closes the answer's body the
connection goes back to the pool if the answer was read to its end, else it is closed. Headers
are handled as :mod:`shallot.middleware.proxy_headers` says.

Failures are answered, never raised: an upstream that refuses the connection, cannot be resolved
or reached, or sends no valid answer gives 502, one that does not answer within ``timeout``
seconds gives 504, each with a one-line ``text/plain`` reason naming the failure, not the
internals. Once the answer has started, an upstream that fails mid-body raises
:class:`UpstreamError` from the body iterator, so the server cuts the client's connection
instead of passing a truncated body for a whole one.
"""

from __future__ import annotations

import dataclasses
import functools
import http.client
import ssl
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from shallot.http import bad_request, reason_phrase

from .proxy_headers import (
    encoded_path,
    forwarded_element,
    quoted_path,
    raw_path_after,
    received_host,
    request_headers,
    response_headers,
    rewrite_location,
)
from .upstream import UpstreamBody, UpstreamError, UpstreamFailure
from .upstream_pool import DEFAULT_POOL_SIZE, RETRYABLE_METHODS, ConnectionPool

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["AUTO_HOST", "Proxy", "ProxyTarget", "UpstreamError"]

AUTO_HOST = "<auto>"
"""``ProxyTarget.host`` value sending the target's own host and port as ``Host``."""

DEFAULT_CHUNK_SIZE = 64 * 1024
"""Bytes read and sent at a time, each way."""


@dataclasses.dataclass(frozen=True, slots=True)
class ProxyTarget:
    """Where a prefix is proxied to, and how.

    - ``url``: ``http://`` or ``https://`` URL of the upstream, maybe with a base path
      (``http://127.0.0.1:9000/v1/``); no query or fragment.
    - ``remove_prefix``: send ``/api/x`` as ``<base>/x`` instead of ``<base>/api/x``. What the
      upstream does not see of the proxy's URL path (``SCRIPT_NAME``, and the prefix when
      removed) goes in ``X-Forwarded-Prefix``.
    - ``host``: the ``Host`` sent: :data:`AUTO_HOST` for the target's, ``None`` to keep the one
      the client sent, or a value.
    - ``headers``: extra request fields, replacing any the client sent under those names.
    - ``ssl_context``: for ``https`` targets (the default context verifies certificates).

    Raises :class:`ValueError` for a URL that is not an absolute ``http``/``https`` URL, and for
    header names or values that could not be sent.
    """

    url: str
    remove_prefix: bool = False
    host: str | None = AUTO_HOST
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    ssl_context: ssl.SSLContext | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"a proxy target must be an http(s) URL with a host: {self.url!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"a proxy target has no query or fragment: {self.url!r}")
        try:
            parts.port  # noqa: B018  # raises ValueError for a port that is not a number
        except ValueError:
            raise ValueError(f"invalid port in proxy target {self.url!r}") from None
        for name, value in [*self.headers.items(), ("Host", self.host or "")]:
            if not name.isascii() or not name.isprintable() or ":" in name or " " in name:
                raise ValueError(f"invalid header name for the upstream: {name!r}")
            if any(char in value for char in "\r\n\x00") or max(value, default=" ") > "\xff":
                raise ValueError(f"invalid header value for the upstream: {value!r}")

    @classmethod
    def from_options(cls, options: Mapping[str, object]) -> ProxyTarget:
        """A target from Werkzeug's dict shape: ``{"target": url, "remove_prefix": ...,
        "host": ..., "headers": {...}, "ssl_context": ...}``; :class:`ValueError` for a missing
        ``target``, an unknown key or a value of the wrong type."""
        unknown = set(options) - {"target", "remove_prefix", "host", "headers", "ssl_context"}
        if unknown:
            raise ValueError(f"unknown proxy target options: {sorted(unknown)}")
        url = options.get("target")
        remove_prefix = options.get("remove_prefix", False)
        host = options.get("host", AUTO_HOST)
        headers = options.get("headers", {})
        context = options.get("ssl_context")
        if not isinstance(url, str) or not isinstance(remove_prefix, bool):
            raise ValueError("a proxy target needs 'target' as a str, 'remove_prefix' as a bool")
        if host is not None and not isinstance(host, str):
            raise ValueError(f"'host' must be a str or None, not {host!r}")
        if not isinstance(headers, Mapping) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in headers.items()
        ):
            raise ValueError("'headers' must map str to str")
        if context is not None and not isinstance(context, ssl.SSLContext):
            raise ValueError("'ssl_context' must be an ssl.SSLContext")
        return cls(url, remove_prefix, host, dict(headers), context)


@dataclasses.dataclass(frozen=True, slots=True)
class _Route:
    prefix: str
    target: ProxyTarget
    base: str
    origin: str
    pool: ConnectionPool


def _route(prefix: str, target: ProxyTarget, timeout: float, pool_size: int) -> _Route:
    if prefix and not prefix.startswith("/"):
        raise ValueError(f"a proxy prefix must start with '/': {prefix!r}")
    parts = urlsplit(target.url)
    host = parts.hostname or ""
    port = parts.port
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    wsgi_prefix = prefix.rstrip("/").encode().decode("latin-1")
    base = encoded_path(parts.path.rstrip("/"))
    connect: Callable[[], http.client.HTTPConnection]
    if parts.scheme == "https":
        connect = functools.partial(
            http.client.HTTPSConnection,
            host,
            port or 443,
            timeout=timeout,
            context=target.ssl_context,
        )
    else:
        connect = functools.partial(http.client.HTTPConnection, host, port or 80, timeout=timeout)
    return _Route(wsgi_prefix, target, base, origin, ConnectionPool(connect, pool_size))


class Proxy:
    """Send requests under the prefixes of ``targets`` to upstream servers; see the module
    documentation.

    ``targets`` maps a prefix to a :class:`ProxyTarget` or Werkzeug's dict shape for one.
    ``timeout`` (seconds) bounds connecting and each wait for the upstream. ``pool_size`` idle
    connections are kept per target (0 keeps none). Raises :class:`ValueError` for a bad prefix,
    target, ``chunk_size``, ``timeout`` or ``pool_size``.
    """

    __slots__ = ("_app", "_chunk_size", "_routes", "_timeout")

    def __init__(
        self,
        app: WSGIApplication,
        targets: Mapping[str, ProxyTarget | Mapping[str, object]],
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        timeout: float = 30.0,
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        """Check and index the targets; see the class documentation."""
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive int, not {chunk_size!r}")
        if not timeout > 0:
            raise ValueError(f"timeout must be positive, not {timeout!r}")
        routes = [
            _route(
                prefix,
                target if isinstance(target, ProxyTarget) else ProxyTarget.from_options(target),
                timeout,
                pool_size,
            )
            for prefix, target in targets.items()
        ]
        self._routes = tuple(sorted(routes, key=lambda route: len(route.prefix), reverse=True))
        self._app = app
        self._chunk_size = chunk_size
        self._timeout = timeout

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Proxy the request if a prefix matches it, else hand it to the application."""
        path: str = environ.get("PATH_INFO", "")
        for route in self._routes:
            prefix = route.prefix
            if path.startswith(prefix) and (len(path) == len(prefix) or path[len(prefix)] == "/"):
                return self._forward(route, path, environ, start_response)
        return self._app(environ, start_response)

    def close(self) -> None:
        """Close the idle upstream connections (requests in progress keep theirs)."""
        for route in self._routes:
            route.pool.close()

    def _forward(
        self, route: _Route, path: str, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        target = route.target
        removed: str = environ.get("SCRIPT_NAME", "")
        if target.remove_prefix:
            removed += route.prefix
            path = path[len(route.prefix) :]
        raw = raw_path_after(environ, removed)
        url = route.base + (quoted_path(path) if raw is None else raw) or "/"
        query = environ.get("QUERY_STRING")
        if query:
            url = f"{url}?{query}"
        headers = self._headers(route, environ, removed)
        length, chunked = _body_framing(environ)
        if length is None and not chunked:
            return bad_request("invalid Content-Length")(environ, start_response)
        if chunked:
            headers = [item for item in headers if item[0] != "Content-Length"]
            headers.append(("Transfer-Encoding", "chunked"))
        method: str = environ.get("REQUEST_METHOD", "GET")
        pool = route.pool
        if length == 0 and not chunked and method in RETRYABLE_METHODS:
            connection, reused = pool.take()
        else:
            connection, reused = pool.fresh(), False
        while True:
            try:
                response = self._exchange(connection, environ, url, headers, length, chunked)
            except UpstreamFailure as failure:
                connection.close()
                if reused and failure.status == 502:  # a kept connection the upstream closed
                    connection, reused = pool.fresh(), False
                    continue
                return failure.answer(environ, start_response)
            except BaseException:
                connection.close()
                raise
            break
        if not 100 <= response.status <= 599:
            connection.close()
            return UpstreamFailure(502, "the upstream server sent no valid answer").answer(
                environ, start_response
            )
        status = f"{response.status} {response.reason or reason_phrase(response.status)}"
        upstream = response_headers(response.msg.items())
        proxy_base = quoted_path(removed)
        answer_headers = [
            (name, rewrite_location(value, route.origin, route.base, proxy_base))
            if name.lower() == "location"
            else (name, value)
            for name, value in upstream
        ]
        start_response(status, answer_headers)
        return UpstreamBody(connection, response, self._chunk_size, pool.give)

    def _headers(
        self, route: _Route, environ: WSGIEnvironment, removed: str
    ) -> list[tuple[str, str]]:
        target = route.target
        headers = request_headers(environ)
        host = received_host(environ)
        proto: str = environ.get("wsgi.url_scheme", "http")
        client: str = environ.get("REMOTE_ADDR", "")
        upstream_host = urlsplit(target.url).netloc if target.host == AUTO_HOST else target.host
        headers.append(("Host", upstream_host or host))
        for_header = environ.get("HTTP_X_FORWARDED_FOR")
        headers.append(("X-Forwarded-For", f"{for_header}, {client}" if for_header else client))
        headers.append(("X-Forwarded-Proto", proto))
        headers.append(("X-Forwarded-Host", host))
        if removed:
            headers.append(("X-Forwarded-Prefix", quoted_path(removed)))
        element = forwarded_element(client, host, proto)
        forwarded = environ.get("HTTP_FORWARDED")
        headers.append(("Forwarded", f"{forwarded}, {element}" if forwarded else element))
        if target.headers:
            replaced = {name.lower() for name in target.headers}
            headers = [item for item in headers if item[0].lower() not in replaced]
            headers.extend(target.headers.items())
        return headers

    def _exchange(
        self,
        connection: http.client.HTTPConnection,
        environ: WSGIEnvironment,
        url: str,
        headers: list[tuple[str, str]],
        length: int | None,
        chunked: bool,
    ) -> http.client.HTTPResponse:
        method: str = environ.get("REQUEST_METHOD", "GET")
        try:
            connection.putrequest(method, url, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                connection.putheader(name, value)
            connection.endheaders()
        except OSError as error:
            raise UpstreamFailure.of(error, "connecting to") from error
        try:
            self._send_body(connection, environ["wsgi.input"], length, chunked)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the upstream stopped reading: it may have answered already (a 413, say)
        except TimeoutError as error:
            raise UpstreamFailure.of(error, "sending to") from error
        try:
            return connection.getresponse()
        except (OSError, http.client.HTTPException) as error:
            raise UpstreamFailure.of(error, "reading the answer of") from error

    def _send_body(
        self,
        connection: http.client.HTTPConnection,
        stream: _Readable,
        length: int | None,
        chunked: bool,
    ) -> None:
        size = self._chunk_size
        if chunked:
            while True:
                chunk = stream.read(size)
                if not chunk:
                    connection.send(b"0\r\n\r\n")
                    return
                connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        remaining = length or 0
        while remaining > 0:
            chunk = stream.read(min(size, remaining))
            if not chunk:
                raise UpstreamFailure(400, "the request body ended early")
            remaining -= len(chunk)
            connection.send(chunk)


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


def _body_framing(environ: WSGIEnvironment) -> tuple[int | None, bool]:
    """The request body's length (``0`` for none) and whether it goes chunked (its length
    unknown); ``(None, False)`` for a ``Content-Length`` that is not a number."""
    transfer_encoding: str = environ.get("HTTP_TRANSFER_ENCODING", "")
    if "chunked" in transfer_encoding.lower():
        return 0, True
    value: str | None = environ.get("CONTENT_LENGTH")
    if value:
        if not (value.isascii() and value.isdigit()):
            return None, False
        return int(value), False
    return 0, bool(environ.get("wsgi.input_terminated"))
