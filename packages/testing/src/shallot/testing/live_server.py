"""A real WSGI server on loopback, for tests that must cross a socket.

In-process calls hide what a real server does to an application (chunked bodies,
``wsgi.file_wrapper``, closing the response iterable, a client that goes away), so Shallot's tests
drive their apps through this.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, TypeAlias
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

if TYPE_CHECKING:
    from types import TracebackType

    from _typeshed.wsgi import WSGIApplication

Serve: TypeAlias = Callable[["WSGIApplication"], str]
"""The type of the ``serve`` fixture: ``serve(app)`` returns the base URL the app is served at."""


class _QuietHandler(WSGIRequestHandler):
    """Keeps test output free of access-log lines."""

    def log_message(self, format: str, *args: object) -> None:
        """Drop the access log line."""


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """One thread per connection, so a test may hold a connection open while making another."""

    daemon_threads = True


class LiveServer:
    """Serve ``app`` on a free loopback port in a background thread until :meth:`stop`.

    Use as a context manager, or through the ``serve`` pytest fixture::

        with LiveServer(app) as server:
            urllib.request.urlopen(server.url + "/path")
    """

    def __init__(self, app: WSGIApplication, host: str = "127.0.0.1") -> None:
        self._server = make_server(
            host, 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
        )
        self.host = host
        self.port: int = self._server.server_port
        self.url = f"http://{host}:{self.port}"
        """The base URL, without a trailing slash."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
