"""The upstream side of the proxy: why an exchange failed, and the answer's body as it streams.

A failure before the upstream's answer starts is a :class:`UpstreamFailure`, answered to the
client as 502 (refused, unresolvable, unreachable, no valid answer, TLS failure) or 504 (timed
out) with a one-line reason naming the failure class, never internals. Once the answer has
started, :class:`UpstreamBody` raises :class:`UpstreamError` when the upstream breaks off, which
makes the server cut the client's connection: a truncated body must not pass for a whole one.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from typing import TYPE_CHECKING

from shallot.http import bad_request, http_error

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["UpstreamBody", "UpstreamError", "UpstreamFailure"]


class UpstreamError(Exception):
    """The upstream answer broke off after it had started (truncated, reset or timed out)."""


class UpstreamFailure(Exception):
    """Why the exchange with the upstream failed before its answer started: ``status`` (400,
    502 or 504) and the ``reason`` sent to the client."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    @classmethod
    def of(cls, error: BaseException, step: str) -> UpstreamFailure:
        """The failure ``error`` means, raised while ``step`` (``"connecting to"``, ...)."""
        if isinstance(error, TimeoutError):
            return cls(504, f"timed out {step} the upstream server")
        if isinstance(error, ConnectionRefusedError):
            return cls(502, "the upstream server refused the connection")
        if isinstance(error, socket.gaierror):
            return cls(502, "the upstream host name could not be resolved")
        if isinstance(error, ssl.SSLError):
            return cls(502, "the TLS handshake with the upstream server failed")
        if isinstance(error, (http.client.HTTPException, ConnectionError)):
            return cls(502, "the upstream server sent no valid answer")
        return cls(502, f"error {step} the upstream server")

    def answer(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer the client with the ``text/plain`` error response for this failure."""
        if self.status == 400:
            return bad_request(self.reason)(environ, start_response)
        return http_error(self.status, self.reason)(environ, start_response)


class UpstreamBody:
    """The upstream answer's body, read ``chunk_size`` at most at a time as it arrives.

    When it was read to its end and the upstream keeps the connection open, closing it hands the
    connection to ``keep`` (the proxy's pool) instead of closing it.
    """

    __slots__ = ("_chunk_size", "_connection", "_ended", "_keep", "_response")

    def __init__(
        self,
        connection: http.client.HTTPConnection,
        response: http.client.HTTPResponse,
        chunk_size: int,
        keep: Callable[[http.client.HTTPConnection], None] | None = None,
    ) -> None:
        self._connection = connection
        self._response = response
        self._chunk_size = chunk_size
        self._keep = keep
        self._ended = False

    def __iter__(self) -> Iterator[bytes]:
        """Yield the body as it arrives; raise :class:`UpstreamError` if it breaks off."""
        response = self._response
        size = self._chunk_size
        while True:
            try:
                chunk = response.read1(size)
            except (OSError, http.client.HTTPException) as error:
                raise UpstreamError(f"the upstream answer broke off: {error!r}") from error
            if not chunk:
                if response.length:
                    raise UpstreamError(f"the upstream answer ended {response.length} bytes early")
                self._ended = True
                return
            yield chunk

    def close(self) -> None:
        """Give the connection back for the next request when the answer was read to its end and
        the upstream keeps it open, else close it (the server calls this when done)."""
        response = self._response
        reusable = self._ended and not response.will_close
        response.close()
        if reusable and self._keep is not None:
            self._keep(self._connection)
        else:
            self._connection.close()
