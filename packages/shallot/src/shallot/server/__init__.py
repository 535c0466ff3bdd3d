"""The embedded server of the ``shallot`` command: cheroot (pure Python, threaded, HTTP/1.1) on a
socket opened up front, in one process or several pre-forked ones, stopped cleanly by SIGINT or
SIGTERM.

::

    from shallot.server import base_url, open_listener, serve

    listener = open_listener("127.0.0.1", 0)
    serve(lambda: app, listener, ready=lambda: print("Serving on", base_url(listener)))
"""

from __future__ import annotations

from shallot.server.access_log import AccessLog as AccessLog
from shallot.server.chunked_body import MalformedChunkedBody as MalformedChunkedBody
from shallot.server.embedded import DEFAULT_THREADS as DEFAULT_THREADS
from shallot.server.embedded import EmbeddedServer as EmbeddedServer
from shallot.server.listener import ListenError as ListenError
from shallot.server.listener import base_url as base_url
from shallot.server.listener import open_listener as open_listener
from shallot.server.prefork import WorkerBootError as WorkerBootError
from shallot.server.prefork import serve_workers as serve_workers
from shallot.server.request_head import MAX_HEADER_FIELDS as MAX_HEADER_FIELDS
from shallot.server.request_head import MAX_REQUEST_LINE as MAX_REQUEST_LINE
from shallot.server.runner import serve as serve
from shallot.server.signals import stop_on_signals as stop_on_signals
from shallot.server.signals import wait_until_set as wait_until_set

__all__ = [
    "DEFAULT_THREADS",
    "MAX_HEADER_FIELDS",
    "MAX_REQUEST_LINE",
    "AccessLog",
    "EmbeddedServer",
    "ListenError",
    "MalformedChunkedBody",
    "WorkerBootError",
    "base_url",
    "open_listener",
    "serve",
    "serve_workers",
    "stop_on_signals",
    "wait_until_set",
]
