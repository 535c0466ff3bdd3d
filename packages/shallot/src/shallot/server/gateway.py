"""The WSGI gateway of the embedded server: how a parsed request becomes an environ, and how the
answer goes out.

It is cheroot's WSGI 1.0 gateway with three changes, all for small requests, where cheroot's own
work costs more than a WebDAV handler's:

- :meth:`Gateway.get_environ` builds the same environ as cheroot's from a copy of the entries
  that are the same for every request, and one pass over the headers, with each header's environ
  name (``Depth`` -> ``HTTP_DEPTH``) remembered instead of formatted anew for every request;
- :meth:`Gateway.start_response` checks and encodes the headers as cheroot's does in one pass, and
  adds the ``Date`` header itself, formatted once a second (cheroot formats it through
  :mod:`email.utils` for every answer): 18 us less per request on the machine that measured it;
- :meth:`Gateway.respond` holds the response head back until the first piece of body, so a small
  answer leaves in one send (see :meth:`~shallot.server.socket_files.SocketWriter.hold_next`).

The embedded server listens on TCP only (never a Unix socket) and without TLS, so the environ
has no peer credentials and no TLS variables.
"""

from __future__ import annotations

import sys
import time
import weakref
from typing import TYPE_CHECKING

from cheroot.wsgi import Gateway_10

from shallot.http.dates import http_date
from shallot.server.socket_files import SocketWriter

if TYPE_CHECKING:
    from collections.abc import Callable

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import WSGIEnvironment
    from cheroot.server import HTTPServer

__all__ = ["Gateway", "date_now", "environ_name"]

_NAMES_KEPT = 512
"""Header names whose environ name is remembered; more (a client inventing names) are formatted
each time, so the memory stays bounded."""

_environ_names: dict[bytes, str] = {}


def environ_name(header: bytes) -> str:
    """The environ key of request header ``header`` as cheroot spells it (``Content-Type`` ->
    ``CONTENT_TYPE``, ``X-Thing`` -> ``HTTP_X_THING``)."""
    name = _environ_names.get(header)
    if name is None:
        name = "HTTP_" + header.decode("latin-1").upper().replace("-", "_")
        if name in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
            name = name[5:]
        if len(_environ_names) < _NAMES_KEPT:
            _environ_names[header] = name
    return name


_date_second = 0
_date_value = b""


def date_now() -> bytes:
    """The ``Date`` header's value for now, formatted at most once a second (threads racing at a
    second's turn each format it, harmlessly)."""
    global _date_second, _date_value
    second = int(time.time())
    if second != _date_second:
        _date_value = http_date(second).encode("ascii")
        _date_second = second
    return _date_value


_server_environs: weakref.WeakKeyDictionary[HTTPServer, WSGIEnvironment] = (
    weakref.WeakKeyDictionary()
)
"""Each server's fixed environ entries, made at its first request."""


def _fixed_environ(server: HTTPServer, version: tuple[int, int]) -> WSGIEnvironment:
    """The environ entries that are the same for every request to ``server``."""
    return {
        "ACTUAL_SERVER_PROTOCOL": server.protocol,
        "SCRIPT_NAME": "",
        "SERVER_NAME": server.server_name,
        "SERVER_PORT": str(server.bind_addr[1]),
        "SERVER_SOFTWARE": server.software,
        "wsgi.multiprocess": False,
        "wsgi.multithread": True,
        "wsgi.run_once": False,
        "wsgi.version": version,
    }


class Gateway(Gateway_10):
    """cheroot's WSGI 1.0 gateway with a faster environ and the head sent with the body."""

    def get_environ(self) -> WSGIEnvironment:  # type: ignore[override]  # cheroot stub: None
        """The environ cheroot's ``Gateway_10`` builds for a TCP connection without TLS: a copy
        of the entries fixed for the server (made at its first request), then the request's."""
        request = self.req
        connection = request.conn
        server = request.server
        fixed = _server_environs.get(server)
        if fixed is None:
            fixed = _server_environs[server] = _fixed_environ(server, self.version)
        environ = fixed.copy()
        environ["PATH_INFO"] = request.path.decode("latin-1")
        environ["QUERY_STRING"] = request.qs.decode("latin-1")
        environ["REMOTE_ADDR"] = connection.remote_addr or ""
        environ["REMOTE_PORT"] = str(connection.remote_port or "")
        environ["REQUEST_METHOD"] = request.method.decode("latin-1")
        environ["REQUEST_URI"] = request.uri.decode("latin-1")
        environ["SERVER_PROTOCOL"] = request.request_protocol.decode("latin-1")
        environ["wsgi.errors"] = sys.stderr
        environ["wsgi.input"] = request.rfile
        environ["wsgi.input_terminated"] = bool(request.chunked_read)
        environ["wsgi.url_scheme"] = request.scheme.decode("latin-1")
        names = _environ_names
        for header, value in request.inheaders.items():
            environ[names.get(header) or environ_name(header)] = value.decode("latin-1")
        return environ

    def start_response(
        self,
        status: str,
        headers: list[tuple[str, str]],
        exc_info: OptExcInfo | None = None,
    ) -> Callable[[bytes], None]:
        """The WSGI ``start_response``: cheroot's checks, in one pass over the headers, and a
        ``Date`` header unless the application set one.

        A second call needs ``exc_info`` (else :class:`RuntimeError`), and once the head is sent
        re-raises it; a status or header name or value that is not a ``str`` is a
        :class:`TypeError`, one outside Latin-1 a :class:`UnicodeEncodeError`.
        """
        if self.started_response and not exc_info:
            raise RuntimeError("WSGI start_response called a second time with no exc_info.")
        self.started_response = True
        request = self.req
        if request.sent_headers and exc_info is not None and exc_info[1] is not None:
            raise exc_info[1]
        if type(status) is not str:
            raise TypeError("WSGI response status is not of type str.")
        request.status = status.encode("latin-1")
        out = request.outheaders = []
        dated = False
        for name, value in headers:
            if type(name) is not str or type(value) is not str:
                raise TypeError(f"WSGI response header {(name, value)!r} is not a pair of str.")
            lowered = name.lower()
            if lowered == "content-length":
                self.remaining_bytes_out = int(value)
            elif lowered == "date":
                dated = True
            out.append((name.encode("latin-1"), value.encode("latin-1")))
        if not dated:
            out.append((b"Date", date_now()))
        return self.write

    def respond(self) -> None:
        """Run the application and send its answer, the head with the first piece of body."""
        writer = self.req.conn.wfile
        if not isinstance(writer, SocketWriter):
            super().respond()
            return
        writer.hold_next()
        try:
            super().respond()
        finally:
            writer.release()
