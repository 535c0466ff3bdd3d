"""Idle connections to one upstream server, kept for the proxy's next requests (keep-alive).

A new TCP connection (and, to an ``https`` upstream, a TLS handshake) per request costs more than
a small request itself; Werkzeug's proxy pays it every time. Here a connection goes back to its
:class:`ConnectionPool` once the answer was read to its end and neither side asked to close it
(``Connection: close``, HTTP/1.0); at most ``size`` wait, each for at most ``idle_seconds``.

An upstream may close an idle connection meanwhile (its own keep-alive timeout), which shows only
when the next request is sent on it. So only requests that may be sent twice take a kept
connection: those without a body, whose method is idempotent (RFC 9110 section 9.2.2); the proxy
sends such a request once more on a fresh connection when the kept one turns out dead. Every
other request takes a fresh connection, as its body cannot be sent again.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import http.client
    from collections.abc import Callable

__all__ = ["DEFAULT_IDLE_SECONDS", "DEFAULT_POOL_SIZE", "RETRYABLE_METHODS", "ConnectionPool"]

DEFAULT_POOL_SIZE = 8
"""Idle connections kept per upstream."""

DEFAULT_IDLE_SECONDS = 30.0
"""How long an idle connection is kept before it is closed instead of reused."""

RETRYABLE_METHODS = frozenset(
    ("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE", "PROPFIND", "COPY", "MOVE")
)
"""Idempotent methods (RFC 9110 section 9.2.2, RFC 4918): sent again without harm when a kept
connection turns out closed."""


class ConnectionPool:
    """Idle connections to one upstream, most recently used first; thread-safe.

    ``connect`` makes a new (not yet connected) connection.
    """

    __slots__ = ("_connect", "_idle", "_idle_seconds", "_lock", "_size")

    def __init__(
        self,
        connect: Callable[[], http.client.HTTPConnection],
        size: int = DEFAULT_POOL_SIZE,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
    ) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError(f"the pool size must be an int of at least 0, not {size!r}")
        self._connect = connect
        self._size = size
        self._idle_seconds = idle_seconds
        self._idle: deque[tuple[float, http.client.HTTPConnection]] = deque()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many idle connections wait."""
        return len(self._idle)

    def take(self) -> tuple[http.client.HTTPConnection, bool]:
        """An idle connection and ``True``, or a new one and ``False`` when none is fresh enough."""
        oldest = time.monotonic() - self._idle_seconds
        expired: list[http.client.HTTPConnection] = []
        taken = None
        with self._lock:
            while self._idle:
                since, connection = self._idle.pop()
                if since > oldest:
                    taken = connection
                    break
                expired.append(connection)
        for connection in expired:
            connection.close()
        if taken is not None:
            return taken, True
        return self._connect(), False

    def fresh(self) -> http.client.HTTPConnection:
        """A new connection, not from the pool."""
        return self._connect()

    def give(self, connection: http.client.HTTPConnection) -> None:
        """Keep ``connection`` (its answer read to the end) for a later request, or close it when
        the pool is full. Connections idle too long are closed on the way."""
        now = time.monotonic()
        expired: list[http.client.HTTPConnection] = []
        kept = False
        with self._lock:
            idle = self._idle
            while idle and idle[0][0] <= now - self._idle_seconds:
                expired.append(idle.popleft()[1])
            if len(idle) < self._size:
                idle.append((now, connection))
                kept = True
        for old in expired:
            old.close()
        if not kept:
            connection.close()

    def __del__(self) -> None:
        """A pool dropped with its proxy closes what it kept (no socket is left to the garbage
        collector's warnings)."""
        if hasattr(self, "_lock"):  # not when the constructor refused its arguments
            self.close()

    def close(self) -> None:
        """Close every idle connection."""
        with self._lock:
            idle = [connection for _, connection in self._idle]
            self._idle.clear()
        for connection in idle:
            connection.close()
