"""The WSGI gateway of the embedded server: how a parsed request becomes an environ, and how the
answer goes out.

It is cheroot's WSGI 1.0 gateway with two changes, both for small requests, where cheroot's own
work costs more than a WebDAV handler's:

- :meth:`Gateway.get_environ` builds the same environ as cheroot's, in one dictionary display and
  one pass over the headers, with each header's environ name (``Depth`` -> ``HTTP_DEPTH``)
  remembered instead of formatted anew for every request;
- :meth:`Gateway.respond` holds the response head back until the first piece of body, so a small
  answer leaves in one send (see :meth:`~shallot.server.socket_files.SocketWriter.hold_next`).

The embedded server listens on TCP only (never a Unix socket) and without TLS, so the environ
has no peer credentials and no TLS variables.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from cheroot.wsgi import Gateway_10

from shallot.server.socket_files import SocketWriter

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

__all__ = ["Gateway", "environ_name"]

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


class Gateway(Gateway_10):
    """cheroot's WSGI 1.0 gateway with a faster environ and the head sent with the body."""

    def get_environ(self) -> WSGIEnvironment:  # type: ignore[override]  # cheroot stub: None
        """The environ cheroot's ``Gateway_10`` builds for a TCP connection without TLS."""
        request = self.req
        connection = request.conn
        server = request.server
        environ: WSGIEnvironment = {
            "ACTUAL_SERVER_PROTOCOL": server.protocol,
            "PATH_INFO": request.path.decode("latin-1"),
            "QUERY_STRING": request.qs.decode("latin-1"),
            "REMOTE_ADDR": connection.remote_addr or "",
            "REMOTE_PORT": str(connection.remote_port or ""),
            "REQUEST_METHOD": request.method.decode("latin-1"),
            "REQUEST_URI": request.uri.decode("latin-1"),
            "SCRIPT_NAME": "",
            "SERVER_NAME": server.server_name,
            "SERVER_PORT": str(server.bind_addr[1]),
            "SERVER_PROTOCOL": request.request_protocol.decode("latin-1"),
            "SERVER_SOFTWARE": server.software,
            "wsgi.errors": sys.stderr,
            "wsgi.input": request.rfile,
            "wsgi.input_terminated": bool(request.chunked_read),
            "wsgi.multiprocess": False,
            "wsgi.multithread": True,
            "wsgi.run_once": False,
            "wsgi.url_scheme": request.scheme.decode("latin-1"),
            "wsgi.version": self.version,
        }
        names = _environ_names
        for header, value in request.inheaders.items():
            environ[names.get(header) or environ_name(header)] = value.decode("latin-1")
        return environ

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
