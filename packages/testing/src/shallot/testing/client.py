"""A plain HTTP client for tests: one request over a fresh connection, the answer as it came.

``urllib.request`` follows redirects, raises on error statuses and hides what a server sent after
the headers of a ``HEAD`` answer, all of which a test of a WSGI app wants to see. :func:`fetch`
does none of that::

    reply = fetch(serve(app), "/doc", "HEAD", {"Range": "bytes=0-1"})
    assert (reply.status, reply.body) == (206, b"")
"""

from __future__ import annotations

import http.client
from contextlib import contextmanager
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

DEFAULT_TIMEOUT = 30.0
"""Seconds a test waits on a socket: long enough for a slow CI machine sending a large body."""


class Reply(NamedTuple):
    """What the server answered, untouched: nothing is followed, decoded or raised."""

    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes


@contextmanager
def connect(
    base_url: str, timeout: float = DEFAULT_TIMEOUT
) -> Iterator[http.client.HTTPConnection]:
    """An ``http.client`` connection to ``base_url`` (``http://host:port``), closed on exit.

    For tests that drive the exchange themselves: send a body piece by piece, read a large answer
    in steps, or see a body cut short (:class:`http.client.IncompleteRead`).
    """
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=timeout)
    try:
        yield connection
    finally:
        connection.close()


def fetch(
    base_url: str,
    path: str = "/",
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes | Iterable[bytes] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Reply:
    """Send one request over a fresh connection and read the whole answer.

    ``body`` given as an iterable of pieces (not ``bytes``) is sent with chunked transfer coding.
    For ``HEAD``, ``body`` is whatever the server sent after the headers until it closed the
    connection (``http.client`` would read nothing), so a test can check it is empty; this relies
    on the server closing the connection after each answer, as the ``serve`` fixture's does.
    """
    with connect(base_url, timeout) as connection:
        connection.request(
            method,
            path,
            body=body,
            headers=dict(headers or {}),
            encode_chunked=body is not None and not isinstance(body, bytes),
        )
        response = connection.getresponse()
        if method == "HEAD":
            assert response.fp is not None
            content = response.fp.read()
            response.close()
        else:
            content = response.read()
        return Reply(response.status, response.reason, response.msg, content)
