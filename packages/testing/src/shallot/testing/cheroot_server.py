"""A WSGI app on cheroot, the ``shallot`` command's own server, for tests that need HTTP/1.1.

wsgiref (the ``serve`` fixture) speaks HTTP/1.0 without keep-alive and passes chunked request
bodies through undecoded; tests of streaming, keep-alive or chunked uploads need a server that
behaves as the one users run. cheroot is imported when a server starts, so ``shallot-testing``
works without it for every other fixture (the extra ``shallot-testing[cheroot]`` installs it).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from cheroot.wsgi import Server

__all__ = ["CherootServer"]


class CherootServer:
    """Serve ``app`` with cheroot on a free loopback port in a background thread until
    :meth:`stop`; :attr:`url` is the base URL (no trailing slash)."""

    def __init__(self, app: WSGIApplication, threads: int = 6) -> None:
        from cheroot import wsgi

        self._server: Server = wsgi.Server(
            ("127.0.0.1", 0), app, numthreads=threads, shutdown_timeout=1
        )
        self._server.expiration_interval = 0.05  # how long stop() waits for the serving loop
        self._server.prepare()
        self._thread = threading.Thread(target=self._server.serve, daemon=True)
        self._thread.start()
        host, port = self._server.bind_addr[:2]
        self.url = f"http://{host}:{port}"

    def stop(self) -> None:
        """Stop serving and wait for the serving thread."""
        self._server.stop()
        self._thread.join()
