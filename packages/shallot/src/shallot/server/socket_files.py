"""The file objects a connection of the embedded server reads requests from and writes answers to.

cheroot wraps every socket in reader and writer classes built on ``_pyio``, the pure-Python copy
of :mod:`io`, because it needs to know whether bytes are left in the read buffer (``has_data``)
and the C buffered reader does not show its buffer. Reading a request line or a header line
through ``_pyio`` costs tens of microseconds, more than a small DAV request's own work: a LOCK
with its seven header lines spent a quarter of the server's time in ``readline``.

:class:`SocketReader` is the C :class:`io.BufferedReader` (``readline`` and ``read`` run in C)
and answers ``has_data`` by peeking with the socket switched to non-blocking for that moment: what
is in the buffer, or already arrived on the socket, counts; nothing waits.
:class:`SocketWriter` sends each write whole, as cheroot's writer does, without the copy into a
``bytearray`` and back. It can also hold a response's head until its first piece of body (see
:meth:`SocketWriter.hold_next`), so a small answer leaves in one ``send``: every send on loopback
wakes the client, and a second one for the body of a LOCK answer cost more than building it.
"""

from __future__ import annotations

import io
import socket

__all__ = ["SocketReader", "SocketWriter", "socket_file"]


class SocketReader(io.BufferedReader):
    """A buffered reader on a socket that can tell whether a read would return at once."""

    def __init__(self, sock: socket.socket, buffer_size: int = io.DEFAULT_BUFFER_SIZE) -> None:
        super().__init__(socket.SocketIO(sock, "rb"), buffer_size)
        self._socket = sock

    def has_data(self) -> bool:
        """Whether bytes are buffered or waiting on the socket (never blocks).

        A connection error counts as data: the next read raises it where cheroot handles it. A
        reader already closed has none.
        """
        if self.closed:
            return False
        sock = self._socket
        timeout = sock.gettimeout()
        try:
            sock.settimeout(0)
            try:
                return bool(self.peek(1))
            finally:
                sock.settimeout(timeout)
        except OSError:
            return True


class SocketWriter:
    """Writes go straight to the socket, whole (``flush`` has nothing to do)."""

    def __init__(self, sock: socket.socket) -> None:
        self._socket = sock
        self._holding = False
        self._held: bytes | None = None
        self.closed = False

    def hold_next(self) -> None:
        """Keep the next write back and send it with the one after it (one ``sendmsg``), or on
        :meth:`release`."""
        self._holding = True

    def release(self) -> None:
        """Send what is held, if anything, and stop holding."""
        held, self._held, self._holding = self._held, None, False
        if held is not None:
            self._socket.sendall(held)

    def write(self, data: bytes) -> int:
        if self._holding:
            if self._held is None:
                self._held = bytes(data)
                return len(data)
            held, self._held, self._holding = self._held, None, False
            self._send_both(held, data)
        else:
            self._socket.sendall(data)
        return len(data)

    def _send_both(self, first: bytes, second: bytes) -> None:
        sent = self._socket.sendmsg([first, second])
        if sent < len(first):
            self._socket.sendall(memoryview(first)[sent:])
            sent = len(first)
        if sent < len(first) + len(second):
            self._socket.sendall(memoryview(second)[sent - len(first) :])

    def flush(self) -> None:
        """Nothing is buffered."""

    def close(self) -> None:
        """Forget the socket (the connection closes it)."""
        self.closed = True


def socket_file(
    sock: socket.socket, mode: str = "r", buffer_size: int = io.DEFAULT_BUFFER_SIZE
) -> SocketReader | SocketWriter:
    """A reader (``mode`` with ``r``) or writer on ``sock``: the ``makefile`` cheroot's
    connections take."""
    if "r" in mode:
        return SocketReader(sock, buffer_size)
    return SocketWriter(sock)
