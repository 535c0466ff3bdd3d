"""A response as the response cache keeps it, and how a kept response answers a request.

A :class:`CachedResponse` is a record of what was sent: the status line, the header fields
(without ``Set-Cookie``: a cookie belongs to the one client it was sent to), the whole body, and
the validators read from the fields. Serving it is one ``start_response`` call and one body
chunk; a conditional request whose validators match gets 304 Not Modified instead.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from shallot.http import (
    BaseResponse,
    Headers,
    NotModifiedResponse,
    Precondition,
    evaluate_preconditions,
    parse_etag,
    parse_http_date,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shallot.http import ETag

__all__ = ["CachedEntryResponse", "CachedResponse"]

_NOT_KEPT = frozenset(("set-cookie", "content-length"))


@dataclasses.dataclass(frozen=True, slots=True)
class CachedResponse:
    """A cached answer: ``status`` line, ``headers`` as sent (``Content-Length`` included),
    ``body``, and its ``etag`` and ``last_modified`` validators (``None`` when it has none)."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: ETag | None = None
    last_modified: datetime | None = None

    @classmethod
    def capture(
        cls, status: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> CachedResponse:
        """The record of an answer: ``Set-Cookie`` fields are left out, ``Content-Length`` is
        set to the body's length, and the validators are read from ``ETag`` and
        ``Last-Modified`` (ignored when malformed)."""
        kept = [item for item in headers if item[0].lower() not in _NOT_KEPT]
        kept.append(("Content-Length", str(len(body))))
        etag = last_modified = None
        for name, value in kept:
            lowered = name.lower()
            if lowered == "etag":
                etag = parse_etag(value)
            elif lowered == "last-modified":
                last_modified = parse_http_date(value)
        return cls(status, tuple(kept), body, etag, last_modified)

    @property
    def validated(self) -> bool:
        """Whether the entry has a validator a conditional request can match."""
        return self.etag is not None or self.last_modified is not None

    @property
    def size(self) -> int:
        """Roughly the bytes this record holds (body and fields), for size-bounded caches."""
        return len(self.body) + sum(len(name) + len(value) + 4 for name, value in self.headers)

    def serve(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer a request with this record (see :func:`serve_entry`)."""
        return serve_entry(self, list(self.headers), environ, start_response)


def serve_entry(
    entry: CachedResponse,
    headers: list[tuple[str, str]],
    environ: WSGIEnvironment,
    start_response: StartResponse,
) -> Iterable[bytes]:
    """Answer with ``entry``'s status and body and the fields ``headers``.

    When the request carries ``If-None-Match`` or ``If-Modified-Since`` and they match the
    entry's validators (RFC 9110 section 13.2.2), the answer is 304 Not Modified with the fields
    a 304 may carry. A ``HEAD`` gets the fields only.
    """
    if (entry.etag is not None or entry.last_modified is not None) and (
        "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
    ):
        outcome = evaluate_preconditions(
            environ, etag=entry.etag, last_modified=entry.last_modified
        )
        if outcome is Precondition.NOT_MODIFIED:
            return NotModifiedResponse(headers)(environ, start_response)
    start_response(entry.status, headers)
    if environ.get("REQUEST_METHOD") == "HEAD":
        return []
    return [entry.body]


class CachedEntryResponse(BaseResponse):
    """A :class:`CachedResponse` as a :mod:`shallot.http` response, for the App's middleware
    chain: hooks after it may still change its :attr:`headers` (made from the entry's fields
    when first asked for, so a hit nobody touches costs no copy of them)."""

    __slots__ = ("_fields", "entry")

    def __init__(self, entry: CachedResponse) -> None:
        """Answer with ``entry``."""
        super().__init__(None, None, int(entry.status[:3]))
        self.entry = entry
        self._fields: Headers | None = None

    @property
    def headers(self) -> Headers:
        """The fields to send: the entry's, unless changed."""
        fields = self._fields
        if fields is None:
            fields = self._fields = Headers(self.entry.headers)
        return fields

    @headers.setter
    def headers(self, value: Headers) -> None:
        self._fields = value

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` field; assigning ``None`` removes it."""
        if self._fields is not None:
            return self._fields.get("Content-Type")
        for name, value in self.entry.headers:
            if name.lower() == "content-type":
                return value
        return None

    @content_type.setter
    def content_type(self, value: str | None) -> None:
        if value is None:
            self.headers.pop("Content-Type", None)
        else:
            self.headers["Content-Type"] = value

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Send the entry, with the current :attr:`headers` (see :func:`serve_entry`)."""
        fields = self._fields
        headers = list(self.entry.headers) if fields is None else fields.items()
        return serve_entry(self.entry, headers, environ, start_response)
