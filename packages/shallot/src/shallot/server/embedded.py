"""The embedded HTTP/1.1 server: cheroot, threaded, on a listening socket we opened.

cheroot is pure Python, speaks HTTP/1.1 with keep-alive, chunked request bodies and
``100-continue``, and parks idle keep-alive connections in a selector rather than in a thread, so a
few threads serve many clients. Connections whose request head has not arrived whole wait there
too (see ``_ListenerServer.process_conn``): a client that connects and sends nothing, or sends
its head slowly, holds no thread. A worker thread that just answered on a keep-alive connection
serves the client's next requests itself when they come at once (see
``_ListenerServer.put_conn``), which halves the CPU time of small requests. Connections read and
write through :mod:`shallot.server.socket_files` (C buffered I/O, and a response's head sent with
its first piece of body) rather than cheroot's pure-Python files, and requests reach the
application through :class:`~shallot.server.gateway.Gateway`.

:class:`EmbeddedServer` runs one WSGI app on a socket from
:func:`~shallot.server.listener.open_listener` until a :class:`threading.Event` is set::

    stop = threading.Event()
    server = EmbeddedServer(app, open_listener("127.0.0.1", 0))
    server.serve(stop)  # returns once stop is set and the server has shut down

Several processes may each run an :class:`EmbeddedServer` on one inherited socket (see
:mod:`shallot.server.prefork`): the socket is switched to non-blocking mode, so a process woken
for a connection another process accepted first goes back to its other connections at once.
"""

from __future__ import annotations

import errno
import select
import selectors
import threading
import time
from typing import TYPE_CHECKING

from cheroot.connections import ConnectionManager
from cheroot.makefile import MakeFile
from cheroot.server import HTTPConnection
from cheroot.wsgi import Server

from shallot.server.gateway import Gateway
from shallot.server.listener import BACKLOG
from shallot.server.request import Request
from shallot.server.request_head import MAX_HEADER_FIELDS, MAX_REQUEST_LINE
from shallot.server.signals import wait_until_set
from shallot.server.socket_files import SocketReader, socket_file

if TYPE_CHECKING:
    import socket
    from collections.abc import Callable

    from _typeshed.wsgi import WSGIApplication
    from cheroot.server import HTTPServer

__all__ = ["DEFAULT_THREADS", "EmbeddedServer"]

DEFAULT_THREADS = 16
"""Worker threads per process: requests served at the same time (idle keep-alive connections hold
none)."""

SERVER_NAME = "shallot"
"""The ``Server`` response header and ``SERVER_SOFTWARE``: a name, no version to advertise."""

CONNECTION_TIMEOUT = 60
"""Seconds a connection may stay silent mid-request before it is closed."""

SHUTDOWN_TIMEOUT = 5
"""Seconds requests in progress get to finish when the server stops."""

IDLE_CONNECTIONS = 512
"""Connections kept open between requests (and waiting for their request head), each holding a
file descriptor but no thread. cheroot keeps 10: with 20 keep-alive clients, 40% of the answers
closed their connection, and each client connected anew. Past the limit, answers close theirs."""

KEEP_ALIVE_LINGER = 0.002
"""Seconds a worker thread waits on a keep-alive connection for the client's next request before
handing the connection back to the selector thread."""

KEEP_ALIVE_BURST = 8
"""Requests a worker thread serves in a row on one connection before handing it back, so that
busy connections cannot keep the other connections waiting for a thread."""


ACCEPT_PAUSE = 0.1
"""Seconds the server stops accepting when the system cannot give a new connection a descriptor
(too many open files), so that it neither spins on the listening socket nor floods its log."""

_OUT_OF_DESCRIPTORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})


class _Connections(ConnectionManager):
    """cheroot's connection manager, pausing when accepting fails for want of descriptors.

    cheroot logged a traceback and tried again at once: at the open-files limit the listening
    socket stays readable, so the server spun (70% CPU) and wrote 200,000 log lines in ten
    seconds. The failure is now logged once per episode, and accepting pauses for
    :data:`ACCEPT_PAUSE` seconds at a time until a descriptor is free.
    """

    def __init__(self, server: HTTPServer) -> None:
        super().__init__(server)
        self._short_of_descriptors = False

    def _from_server_socket(self, server_socket: socket.socket) -> HTTPConnection | None:
        try:
            conn: HTTPConnection | None = super()._from_server_socket(server_socket)  # type: ignore[misc]  # private
        except OSError as error:
            if error.errno not in _OUT_OF_DESCRIPTORS:
                raise
            if not self._short_of_descriptors:
                self._short_of_descriptors = True
                self.server.error_log(
                    f"Cannot accept connections ({error.strerror}): they wait until a "
                    "descriptor is free; raise the open-files limit (ulimit -n) if this lasts."
                )
            time.sleep(ACCEPT_PAUSE)
            return None
        self._short_of_descriptors = False
        return conn


def _next_head_here(conn: HTTPConnection, timeout: float) -> bool:
    """Whether the connection's next request head arrives whole within ``timeout`` seconds (or
    the connection ends); a head still on its way counts as not here."""
    reader = conn.rfile
    if not isinstance(reader, SocketReader):
        return bool(reader.has_data())
    if reader.head_arrived(MAX_REQUEST_LINE, MAX_HEADER_FIELDS):
        return True
    poller = select.poll()
    poller.register(conn.socket.fileno(), select.POLLIN)
    if not poller.poll(timeout * 1000):
        return False
    return reader.head_arrived(MAX_REQUEST_LINE, MAX_HEADER_FIELDS)


class _Connection(HTTPConnection):
    """cheroot's connection, reading and writing through :mod:`shallot.server.socket_files`
    (C buffered I/O) instead of cheroot's pure-Python files (a TLS adapter's files are kept), its
    requests' heads read within limits (:mod:`shallot.server.request`)."""

    RequestHandlerClass = Request

    def __init__(
        self, server: HTTPServer, sock: socket.socket, makefile: Callable[..., object] = MakeFile
    ) -> None:
        super().__init__(server, sock, socket_file if makefile is MakeFile else makefile)


class _ListenerServer(Server):
    """cheroot's WSGI server, adopting a socket that is already bound and listening."""

    ConnectionClass = _Connection
    _connections: ConnectionManager

    def __init__(self, listener: socket.socket, app: WSGIApplication, threads: int) -> None:
        super().__init__(
            listener.getsockname()[:2],
            app,
            numthreads=threads,
            server_name=SERVER_NAME,
            request_queue_size=BACKLOG,
            timeout=CONNECTION_TIMEOUT,
            shutdown_timeout=SHUTDOWN_TIMEOUT,
        )
        self._listener = listener
        self.software = self.server_name
        self.gateway = Gateway
        self.keep_alive_conn_limit = IDLE_CONNECTIONS

    def put_conn(self, conn: HTTPConnection) -> None:
        """Serve the connection's next requests in this thread when they come at once, then hand
        it back to cheroot's selector (called by a worker thread after each response).

        cheroot hands every request from its selector thread to a worker thread and the
        connection back again: two thread switches per request, which cost more than a small
        request itself. A client on a keep-alive connection usually sends its next request within
        a round trip, so the worker waits :data:`KEEP_ALIVE_LINGER` for it and serves up to
        :data:`KEEP_ALIVE_BURST` in a row. This halves the CPU time per small request.
        """
        for _ in range(KEEP_ALIVE_BURST):
            if not self.ready or not _next_head_here(conn, KEEP_ALIVE_LINGER):
                break
            try:
                keep_open = conn.communicate()  # type: ignore[no-untyped-call]  # cheroot's stub
            except Exception:
                self.error_log("Error in a kept-alive connection", traceback=True)
                keep_open = False
            if not keep_open:
                conn.close()
                return
        super().put_conn(conn)

    def process_conn(self, conn: HTTPConnection) -> None:
        """Give the connection to a worker thread once its request head has arrived whole; until
        then it waits in cheroot's selector, holding no thread.

        cheroot gives a thread to a connection as soon as it is accepted or readable, and the
        thread then waits for the rest of the head: a client that connects and sends nothing, or
        sends its head a byte at a time, held a thread for up to :data:`CONNECTION_TIMEOUT`
        seconds at every byte, and as many such clients as threads stopped the server. A head
        must now arrive within :data:`CONNECTION_TIMEOUT` of the connection's start or its
        previous answer, or cheroot's expiry closes the connection.
        """
        reader = conn.rfile
        if isinstance(reader, SocketReader) and not reader.head_arrived(
            MAX_REQUEST_LINE, MAX_HEADER_FIELDS
        ):
            if not self.ready:  # stopping: the selector is closing too
                conn.close()
                return
            if conn.last_used is None:
                conn.last_used = time.time()  # when the wait began, for cheroot's expiry
            # Into the selector itself: the connection manager's put() would take the bytes
            # gathered for a head as data to read and hand the connection straight back.
            self._connections._selector.register(  # type: ignore[attr-defined]  # private
                conn.socket.fileno(), selectors.EVENT_READ, data=conn
            )
            return
        super().process_conn(conn)

    def prepare(self) -> None:
        """cheroot's, with :class:`_Connections` as the connection manager."""
        super().prepare()
        replaced = self._connections
        self._connections = _Connections(self)
        replaced._selector.close()  # type: ignore[attr-defined]  # private

    def bind(self, family: int, type: int, proto: int = 0) -> socket.socket:
        """Use the given socket instead of creating one (called by cheroot's ``prepare``)."""
        self.socket = self._listener
        self.bind_addr = self._listener.getsockname()[:2]
        return self._listener


class EmbeddedServer:
    """One WSGI application served by cheroot on ``listener``, ``threads`` requests at a time.

    The server owns the socket from :meth:`serve` on and closes it when it stops. Keep-alive
    connections, pipelining and chunked request bodies are handled; the environ carries
    ``wsgi.input_terminated`` for chunked bodies.
    """

    def __init__(
        self, app: WSGIApplication, listener: socket.socket, threads: int = DEFAULT_THREADS
    ) -> None:
        if threads < 1:
            raise ValueError(f"threads must be at least 1, not {threads}")
        self.app = app
        self.listener = listener
        self.threads = threads

    def serve(self, stop: threading.Event, ready: Callable[[], object] | None = None) -> None:
        """Serve until ``stop`` is set, then let requests in progress finish (up to
        :data:`SHUTDOWN_TIMEOUT` seconds) and close the socket and every connection.

        ``ready`` is called once the server accepts connections (to announce it).

        Call it from the main thread when signals must stop it (see
        :func:`~shallot.server.signals.stop_on_signals`): the wait on ``stop`` is where signal
        handlers run, and it holds no lock they need.
        """
        server = _ListenerServer(self.listener, self.app, self.threads)
        server.prepare()
        # prepare() set a 1 s accept timeout; with workers sharing the socket, a worker that loses
        # the race for a connection must not block in accept() for that second.
        self.listener.setblocking(False)
        loop = threading.Thread(target=server.serve, name="shallot-server", daemon=True)
        loop.start()
        try:
            if ready is not None:
                ready()
            wait_until_set(stop)
        finally:
            server.stop()
            loop.join()
