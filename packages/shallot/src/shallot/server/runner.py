"""Serving an application until SIGINT/SIGTERM, in one process or several.

What the ``shallot`` command runs::

    listener = open_listener("127.0.0.1", 8080)
    serve(lambda: app, listener, workers=4, ready=lambda: print("Serving", base_url(listener)))
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from shallot.server.embedded import DEFAULT_THREADS, EmbeddedServer
from shallot.server.prefork import serve_workers
from shallot.server.signals import stop_on_signals

if TYPE_CHECKING:
    import socket
    from collections.abc import Callable

    from _typeshed.wsgi import WSGIApplication

__all__ = ["serve"]


def serve(
    factory: Callable[[], WSGIApplication],
    listener: socket.socket,
    *,
    workers: int = 1,
    threads: int = DEFAULT_THREADS,
    ready: Callable[[], object] | None = None,
) -> None:
    """Serve ``factory()``'s application on ``listener`` until SIGINT or SIGTERM, then return.

    With one worker the application is built and served in this process; with more, each forked
    worker builds its own (:func:`~shallot.server.prefork.serve_workers`). ``ready`` is called once
    connections are accepted. Requests in progress get a few seconds to finish; the socket is
    closed on return. Call it from the main thread.
    """
    if workers != 1:
        serve_workers(factory, listener, workers, threads, ready)
        return
    stop = threading.Event()
    with stop_on_signals(stop):
        EmbeddedServer(factory(), listener, threads).serve(stop, ready)
