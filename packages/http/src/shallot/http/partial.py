"""Partial content: answering range requests with 206 or 416, and responses that are one range.

RFC 9110 section 14 and 15.3.7: a ``GET`` with a valid ``Range`` header (whose ``If-Range``, if
any, still matches) is answered with the requested parts. One range is sent as the body with a
``Content-Range`` header; several are sent as a ``multipart/byteranges`` body, each part with its
own ``Content-Range``; when none overlaps the representation the answer is 416 with
``Content-Range: bytes */length``. :class:`~shallot.http.response.Response` (through
``make_partial``) and :class:`~shallot.http.file_response.FileResponse` answer this way with the
pieces here. :class:`PartialResponse` is for callers that cut the range out themselves.
"""

from __future__ import annotations

import dataclasses
import secrets
from typing import TYPE_CHECKING

from .conditional import if_range_allows
from .dates import parse_http_date
from .etags import parse_etag
from .ranges import ByteRange, InvalidRange, RangeNotSatisfiable, content_range, parse_range
from .response import Response, _with_content_length
from .status import OK, PARTIAL_CONTENT, RANGE_NOT_SATISFIABLE, status_line

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .headers import Headers
    from .ranges import RangeRequest

__all__ = ["Byteranges", "PartialResponse", "requested_ranges"]

_OK_STATUS = status_line(OK)
_PARTIAL_STATUS = status_line(PARTIAL_CONTENT)
_NOT_SATISFIABLE_STATUS = status_line(RANGE_NOT_SATISFIABLE)
_NOT_SATISFIABLE_BODY = f"{_NOT_SATISFIABLE_STATUS}\n".encode()
_BOUNDARY_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'()+_,-./:=?"
_REPLACED_BY_RANGE = frozenset(("content-range", "content-length"))
_REPLACED_BY_PARTS = frozenset(("content-type", "content-range", "content-length"))


def requested_ranges(
    environ: WSGIEnvironment,
    headers: Headers,
    length: int,
    ranges: RangeRequest | None = None,
) -> list[ByteRange] | None:
    """The ranges to send of a ``length``-byte representation, or ``None`` to send all of it.

    Without ``ranges``, they come from a ``GET`` request's ``Range`` header; the header is
    ignored (``None``) when it is absent or invalid, or when ``If-Range`` does not match the
    ``ETag`` or ``Last-Modified`` field of the response's ``headers``. Given ``ranges`` are used
    for any request. Raises :class:`~shallot.http.ranges.RangeNotSatisfiable` when no range
    overlaps the representation.
    """
    if ranges is None:
        header = environ.get("HTTP_RANGE")
        if header is None or environ.get("REQUEST_METHOD") != "GET":
            return None
        try:
            ranges = parse_range(header)
        except InvalidRange:
            return None
        if "HTTP_IF_RANGE" in environ:
            etag = headers.get("ETag")
            last_modified = headers.get("Last-Modified")
            if not if_range_allows(
                environ,
                etag=None if etag is None else parse_etag(etag),
                last_modified=None if last_modified is None else parse_http_date(last_modified),
            ):
                return None
    return ranges.resolve(length)


@dataclasses.dataclass(frozen=True, slots=True)
class Byteranges:
    """The ``multipart/byteranges`` framing of several ranges of one representation.

    ``part_type`` is the representation's content type (repeated in every part when not
    ``None``), ``length`` its length in bytes, and ``boundary`` separates the parts (by default
    32 random hex digits, vanishingly unlikely to occur in the data). Raises :class:`ValueError`
    when ``ranges`` is empty or runs past ``length``, when ``boundary`` is not 1 to 70 of the
    characters RFC 2046 allows (spaces excluded), or when ``part_type`` is empty or holds control
    or non-Latin-1 characters.
    """

    ranges: tuple[ByteRange, ...]
    length: int
    part_type: str | None
    boundary: str = dataclasses.field(default_factory=lambda: secrets.token_hex(16))

    def __post_init__(self) -> None:
        if not self.ranges or any(byte_range.stop > self.length for byte_range in self.ranges):
            raise ValueError(f"ranges must be given and fit a length of {self.length}")
        if not 0 < len(self.boundary) <= 70 or self.boundary.strip(_BOUNDARY_CHARS):
            raise ValueError(f"invalid multipart boundary: {self.boundary!r}")
        part_type = self.part_type
        if part_type is not None and (
            not part_type or not part_type.isprintable() or max(part_type) > "\xff"
        ):
            raise ValueError(f"invalid part content type: {self.part_type!r}")

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` of the whole body."""
        return f"multipart/byteranges; boundary={self.boundary}"

    def part_head(self, byte_range: ByteRange) -> bytes:
        """The delimiter and headers that come before ``byte_range``'s bytes."""
        head = f"\r\n--{self.boundary}\r\n"
        if self.part_type is not None:
            head += f"Content-Type: {self.part_type}\r\n"
        head += f"Content-Range: {content_range(byte_range, self.length)}\r\n\r\n"
        return head.encode("latin-1")

    @property
    def tail(self) -> bytes:
        """The closing delimiter, after the last part."""
        return f"\r\n--{self.boundary}--\r\n".encode("latin-1")

    @property
    def content_length(self) -> int:
        """The length of the whole body in bytes."""
        framing = sum(len(self.part_head(byte_range)) for byte_range in self.ranges)
        return framing + sum(byte_range.length for byte_range in self.ranges) + len(self.tail)

    def response_headers(self, headers: Headers) -> list[tuple[str, str]]:
        """The response's ``headers`` as sent with this body (type and length replaced)."""
        pairs = [item for item in headers if item[0].lower() not in _REPLACED_BY_PARTS]
        pairs.append(("Content-Type", self.content_type))
        pairs.append(("Content-Length", str(self.content_length)))
        return pairs

    def body(self, read: Callable[[ByteRange], Iterable[bytes]]) -> Iterator[bytes]:
        """Yield the whole body, taking each range's bytes from ``read``."""
        for byte_range in self.ranges:
            yield self.part_head(byte_range)
            yield from read(byte_range)
        yield self.tail


class PartialResponse(Response):
    """A response whose body is one range of a larger representation, cut out by the caller.

    Build it with the range's bytes as ``data``, then call :meth:`make_range` to turn it into a
    206 answer saying which range it is.
    """

    __slots__ = ()

    def make_range(self, start: int, stop: int, full_length: int | None = None) -> None:
        """Mark the body as bytes ``start`` up to (excluding) ``stop`` of the representation.

        ``full_length`` is the representation's length, ``None`` when unknown (sent as ``*``).
        Sets status 206 and ``Content-Range``. Raises :class:`ValueError` unless
        ``0 <= start < stop <= full_length`` and the body holds exactly ``stop - start`` bytes.
        """
        byte_range = ByteRange(start, stop)
        if byte_range.length != self.content_length:
            raise ValueError(
                f"range {start}-{stop} covers {byte_range.length} bytes,"
                f" the body holds {self.content_length}"
            )
        if full_length is None:
            value = f"bytes {start}-{stop - 1}/*"
        else:
            value = content_range(byte_range, full_length)
        self.headers["Content-Range"] = value
        self.status_code = PARTIAL_CONTENT


def _single_range_headers(
    headers: Headers, byte_range: ByteRange, length: int
) -> list[tuple[str, str]]:
    pairs = [item for item in headers if item[0].lower() not in _REPLACED_BY_RANGE]
    pairs.append(("Content-Range", content_range(byte_range, length)))
    pairs.append(("Content-Length", str(byte_range.length)))
    return pairs


def _not_satisfiable(
    start_response: StartResponse, headers: Headers, error: RangeNotSatisfiable
) -> list[bytes]:
    pairs = [item for item in headers if item[0].lower() not in _REPLACED_BY_PARTS]
    pairs.append(("Content-Type", "text/plain; charset=utf-8"))
    pairs.append(("Content-Range", error.content_range))
    pairs.append(("Content-Length", str(len(_NOT_SATISFIABLE_BODY))))
    start_response(_NOT_SATISFIABLE_STATUS, pairs)
    return [_NOT_SATISFIABLE_BODY]


def _answer_in_memory(
    environ: WSGIEnvironment,
    start_response: StartResponse,
    headers: Headers,
    body: bytes,
    ranges: RangeRequest | None,
) -> Iterable[bytes]:
    head = environ.get("REQUEST_METHOD") == "HEAD"
    try:
        selected = requested_ranges(environ, headers, len(body), ranges)
    except RangeNotSatisfiable as error:
        answer = _not_satisfiable(start_response, headers, error)
        return [] if head else answer
    if selected is None:
        start_response(_OK_STATUS, _with_content_length(headers, len(body)))
        return [] if head else [body]
    if len(selected) == 1:
        (byte_range,) = selected
        start_response(_PARTIAL_STATUS, _single_range_headers(headers, byte_range, len(body)))
        return [] if head else [body[byte_range.start : byte_range.stop]]
    framing = Byteranges(tuple(selected), len(body), headers.get("Content-Type"))
    start_response(_PARTIAL_STATUS, framing.response_headers(headers))
    if head:
        return []
    return [b"".join(framing.body(lambda byte_range: (body[byte_range.start : byte_range.stop],)))]
