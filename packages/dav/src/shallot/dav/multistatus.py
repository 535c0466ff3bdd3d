"""``207 Multi-Status`` bodies, streamed: the first bytes go out before the last entry is made.

A :class:`MultistatusResponse` takes an iterator of XML strings (one ``<D:response>`` each, made
by the handler as it walks the resources) and sends them between the ``<D:multistatus>`` tags,
joined into chunks of about :data:`CHUNK_SIZE` bytes. Nothing is built in memory beyond one
chunk, so a PROPFIND on a folder of 100,000 entries starts answering at once and keeps the
server's memory flat. The helpers build the common pieces as strings: status lines (cached), a
``<D:response>`` with one status, a ``<D:propstat>``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from shallot.http import close_iterable, reason_phrase

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = [
    "CHUNK_SIZE",
    "MultistatusResponse",
    "propstat",
    "response_element",
    "status_element",
]

CHUNK_SIZE = 64 * 1024
"""About how many bytes of XML are joined before they are handed to the server."""

_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus xmlns:D="DAV:">'
_TAIL = "</D:multistatus>\n"
_STATUS = "207 Multi-Status"
_HEADERS = [("Content-Type", "application/xml; charset=utf-8")]


@lru_cache(maxsize=64)
def status_element(status: int) -> str:
    """``<D:status>HTTP/1.1 404 Not Found</D:status>`` for ``status``."""
    return f"<D:status>HTTP/1.1 {status} {reason_phrase(status)}</D:status>"


def response_element(href: str, status: int) -> str:
    """A ``<D:response>`` naming one ``href`` (already escaped) and its status."""
    return f"<D:response><D:href>{href}</D:href>{status_element(status)}</D:response>"


def propstat(properties: str, status: int) -> str:
    """A ``<D:propstat>`` of the property elements ``properties`` sharing ``status``."""
    return f"<D:propstat><D:prop>{properties}</D:prop>{status_element(status)}</D:propstat>"


class MultistatusResponse:
    """A WSGI application answering ``207`` with the ``<D:response>`` strings of ``responses``.

    ``responses`` is consumed lazily while the server sends the body, and closed (when it has a
    ``close``) when the server closes the body, even when the client went away half-way. Its
    first string is made before the status is sent, so an error found there still becomes a
    proper error response. ``headers`` are sent besides the content type.
    """

    def __init__(self, responses: Iterable[str], headers: Iterable[tuple[str, str]] = ()) -> None:
        self.responses = responses
        self.headers = list(headers)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        responses = iter(self.responses)
        try:
            first = next(responses, "")
        except BaseException:
            close_iterable(responses)
            raise
        start_response(_STATUS, _HEADERS + self.headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            close_iterable(responses)
            return []
        return _Body(first, responses)


class _Body:
    """The iterable handed to the server: chunks of joined XML, closing the source."""

    def __init__(self, first: str, responses: Iterator[str]) -> None:
        self._first = first
        self._responses = responses

    def __iter__(self) -> Iterator[bytes]:
        pending: list[str] = [_HEAD, self._first]
        size = len(self._first)
        for part in self._responses:
            pending.append(part)
            size += len(part)
            if size >= CHUNK_SIZE:
                yield "".join(pending).encode("utf-8", "surrogateescape")
                pending.clear()
                size = 0
        pending.append(_TAIL)
        yield "".join(pending).encode("utf-8", "surrogateescape")

    def close(self) -> None:
        close_iterable(self._responses)
