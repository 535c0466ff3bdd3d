"""The file objects a connection of the embedded server reads requests from and writes answers to.

cheroot wraps every socket in reader and writer classes built on ``_pyio``, the pure-Python copy
of :mod:`io`, because it needs to know whether bytes are left in the read buffer (``has_data``)
and the C buffered reader does not show its buffer. Reading a request line or a header line
through ``_pyio`` costs tens of microseconds, more than a small DAV request's own work: a LOCK
with its seven header lines spent a quarter of the server's time in ``readline``.

:class:`SocketReader` is the C :class:`io.BufferedReader` (``readline`` and ``read`` run in C)
over a raw input that can take what has arrived on the socket without waiting (one ``read`` on
the descriptor, which a socket with a timeout keeps non-blocking) and serves those bytes first.
That answers ``has_data`` (what is buffered, or already arrived, counts; nothing waits) and
``head_arrived``: whether the next request head is here whole, so that the server gives a
connection a thread only then (a client sending its head slowly, or nothing, holds none).
:class:`SocketWriter` sends each write whole, as cheroot's writer does, without the copy into a
``bytearray`` and back. It can also hold a response's head until its first piece of body (see
:meth:`SocketWriter.hold_next`), so a small answer leaves in one ``send``: every send on loopback
wakes the client, and a second one for the body of a LOCK answer cost more than building it.
"""

from __future__ import annotations

import io
import os
import re
import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["HeadScan", "SocketReader", "SocketWriter", "socket_file"]

_HEAD_START = re.compile(rb"[^\r\n]")
"""The first byte of a head: blank lines before a request line are skipped (RFC 9112, 2.2)."""

_BLANK_LINE = re.compile(rb"\n\r?\n")
"""The end of a head: a blank line, ``CRLF`` or a bare ``LF`` (which the request reader refuses)."""


class _SocketInput(socket.SocketIO):
    """The raw input of a :class:`SocketReader`: the socket, behind bytes taken from it early.

    :meth:`gather` moves what has arrived on the socket into :attr:`pending` without waiting, so
    that the server can look at a request head before it gives the connection a thread; reads
    serve those bytes first. While :attr:`holding`, reads return ``None`` ("would block"), so a
    peek shows only what the buffered reader above already holds.
    """

    def __init__(self, sock: socket.socket) -> None:
        super().__init__(sock, "rb")
        self._socket = sock
        self.pending = bytearray()
        self.ended = False
        self.failed = False
        self.holding = False
        self.scan: HeadScan | None = None

    def readinto(self, buffer: WriteableBuffer, /) -> int | None:
        if self.holding:
            return None
        pending = self.pending
        if not pending:
            return super().readinto(buffer)
        with memoryview(buffer) as target:
            size = min(len(target), len(pending))
            target[:size] = pending[:size]
        del pending[:size]
        self.scan = None
        return size

    def gather(self, limit: int) -> bool:
        """Take what has arrived, until :attr:`pending` holds ``limit`` bytes, without waiting;
        whether the socket could be looked at.

        A read that returns less than asked took all that had arrived, so the next would find
        nothing. The end of the connection sets :attr:`ended`, an error on it :attr:`failed`
        too; reads then return ``b""``. A socket without a timeout is in blocking mode, so it
        cannot be looked at (cheroot gives every connection a timeout).
        """
        if self._socket.gettimeout() is None:
            return False
        descriptor = self.fileno()
        pending = self.pending
        while len(pending) < limit and not self.ended:
            asked = limit - len(pending)
            try:
                chunk = os.read(descriptor, asked)
            except BlockingIOError:
                break
            except OSError:
                self.ended = self.failed = True
                break
            if not chunk:
                self.ended = True
                break
            pending += chunk
            if len(chunk) < asked:
                break
        return True


class HeadScan:
    """Where the request head at the start of some bytes stands, found by looking at each byte
    once however the bytes trickle in (each :meth:`ready` call goes on from where the last one
    stopped, so the bytes must only ever grow at their end).

    A thread may take the head when it has ended (a blank line, after any blank lines before the
    request line), or when what has come already breaks ``line_limit`` (the request line's bytes)
    or ``fields_limit`` (the header fields' bytes): reading it then fails at once.
    """

    def __init__(self, line_limit: int, fields_limit: int) -> None:
        self.line_limit = line_limit
        self.fields_limit = fields_limit
        self._start: int | None = None
        self._line_end: int | None = None
        self._scanned = 0

    def ready(self, data: bytes | bytearray) -> bool:
        """Whether the head at the start of ``data`` can be read without waiting."""
        if self._start is None:
            start = _HEAD_START.search(data, self._scanned)
            if start is None:
                self._scanned = len(data)
                return False
            self._start = self._scanned = start.start()
        if self._line_end is None:
            line_end = data.find(b"\n", self._scanned)
            if line_end < 0:
                self._scanned = len(data)
                return len(data) - self._start > self.line_limit
            self._line_end = self._scanned = line_end
        if self._line_end - self._start >= self.line_limit:
            return True
        end = _BLANK_LINE.search(data, max(self._line_end, self._scanned - 2))
        self._scanned = len(data)
        return end is not None or len(data) - self._line_end > self.fields_limit


class SocketReader(io.BufferedReader):
    """A buffered reader on a socket that can tell whether a read would return at once, and
    whether a whole request head has arrived."""

    raw: _SocketInput

    def __init__(self, sock: socket.socket, buffer_size: int = io.DEFAULT_BUFFER_SIZE) -> None:
        super().__init__(_SocketInput(sock), buffer_size)

    def _buffered(self) -> bytes:
        """What this reader holds in its own buffer (nothing is read)."""
        raw = self.raw
        raw.holding = True
        try:
            return self.peek()
        finally:
            raw.holding = False

    def has_data(self) -> bool:
        """Whether bytes are buffered or waiting on the socket (never blocks).

        A connection error counts as data, so the connection goes to a thread that ends it; a
        reader already closed, or whose peer has left, has none.
        """
        if self.closed:
            return False
        raw = self.raw
        if raw.pending or self._buffered():
            return True
        raw.gather(io.DEFAULT_BUFFER_SIZE)
        return bool(raw.pending) or raw.failed

    def head_arrived(self, line_limit: int, fields_limit: int) -> bool:
        """Whether a thread may read the next request head without waiting for the client: the
        head has ended, or already breaks a limit (see :class:`HeadScan`), or the connection has
        ended. Never blocks: what has arrived is gathered first.
        """
        if self.closed:
            return True
        raw = self.raw
        buffered = self._buffered()
        if not raw.gather(line_limit + fields_limit + 2 - len(buffered)) or raw.ended:
            return True  # ended, or a blocking socket that cannot be looked at: read on
        if buffered:  # requests sent ahead of their answers (pipelining): rare, looked at whole
            return HeadScan(line_limit, fields_limit).ready(buffered + raw.pending)
        if raw.scan is None:
            raw.scan = HeadScan(line_limit, fields_limit)
        return raw.scan.ready(raw.pending)


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
