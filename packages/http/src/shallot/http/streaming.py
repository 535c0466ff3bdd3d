"""Streamed responses: bodies produced piece by piece by an iterable, never held whole.

The server sends each piece as the iterable yields it. When the server is done with the body (all
sent, the client gone, or an error), it calls ``close()`` on what the response returned, and that
closes the iterable in turn, so a generator's ``finally`` blocks and ``with`` statements run.
"""

from __future__ import annotations

import codecs
from typing import TYPE_CHECKING

from .response import DEFAULT_CONTENT_TYPE, BaseResponse, _without_content_fields

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .types import HeadersInit

__all__ = ["GeneratorResponse", "StrGeneratorResponse", "close_iterable"]


def close_iterable(iterable: object) -> None:
    """Call ``iterable.close()`` when it has one: what PEP 3333 asks of whoever is done with an
    application's iterable (a server, or a middleware that replaced or wrapped it)."""
    close = getattr(iterable, "close", None)
    if close is not None:
        close()


class _StreamBody:
    """What a streamed response hands the server: its pieces, and a ``close()`` for the source.

    Iterating gives ``pieces``; :meth:`close` closes ``pieces`` and then ``source`` (each only when
    it has a ``close()``), the source even when closing the pieces fails.
    """

    __slots__ = ("_pieces", "_source")

    def __init__(self, pieces: Iterator[bytes], source: object) -> None:
        """Wrap ``pieces`` (made from ``source``) for the server."""
        self._pieces = pieces
        self._source = source

    def __iter__(self) -> Iterator[bytes]:
        """Return the iterator of pieces."""
        return self._pieces

    def close(self) -> None:
        """Close the pieces and the source they were made from."""
        try:
            if self._pieces is not self._source:
                close_iterable(self._pieces)
        finally:
            close_iterable(self._source)


class GeneratorResponse(BaseResponse):
    """A response whose body is an iterable of ``bytes``, sent as it is produced.

    No ``Content-Length`` is sent unless one is set in :attr:`headers` (then the iterable must
    produce exactly that many bytes). The iterable is consumed by the first call, so the response
    answers one request; its ``close()``, when it has one, is called when the server closes the
    body, and also when no body is sent (``HEAD``, 204, 304).
    """

    __slots__ = ("_body", "_source")

    _body: Iterable[bytes]
    _source: object

    def __init__(
        self,
        iterable: Iterable[bytes],
        content_type: str | None = DEFAULT_CONTENT_TYPE,
        headers: HeadersInit | None = None,
        status_code: int = 200,
    ) -> None:
        """Build a response streaming ``iterable``."""
        super().__init__(content_type, headers, status_code)
        self._body = iterable
        self._source = iterable

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Send the headers and return the body for the server to stream and close."""
        status = self._status_code
        if status < 200 or status == 204 or status == 304:
            start_response(self._status, _without_content_fields(self.headers))
            close_iterable(self._source)
            return []
        start_response(self._status, self.headers.items())
        if environ.get("REQUEST_METHOD") == "HEAD":
            close_iterable(self._source)
            return []
        return _StreamBody(iter(self._body), self._source)


class StrGeneratorResponse(GeneratorResponse):
    """A streamed response whose iterable produces ``str``, encoded piece by piece.

    The charset is the one the content type names (UTF-8 when it names none); an unknown one raises
    :class:`ValueError` here, a piece it cannot encode fails the stream when it comes.
    """

    __slots__ = ()

    def __init__(
        self,
        iterable: Iterable[str],
        content_type: str | None = DEFAULT_CONTENT_TYPE,
        headers: HeadersInit | None = None,
        status_code: int = 200,
    ) -> None:
        """Build a response streaming ``iterable``, encoded with the content type's charset."""
        super().__init__((), content_type, headers, status_code)
        self._body = codecs.iterencode(iterable, self.charset)
        self._source = iterable
