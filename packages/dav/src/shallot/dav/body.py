"""Request bodies: read in bounded chunks, whatever the framing, and a short body is an error.

A body comes with a ``Content-Length`` or chunked (macOS Finder uploads without a length). Servers
that decode chunked bodies say so with ``wsgi.input_terminated`` (cheroot does); for those that do
not (wsgiref), :func:`body_chunks` decodes the framing itself. A body that ends before its length,
or a chunked body without its last chunk, raises a 400 :class:`~shallot.dav.errors.DAVError`, so a
PUT cut off half-way never stores half a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.dav.errors import DAVError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO

    from _typeshed.wsgi import WSGIEnvironment

__all__ = ["CHUNK_SIZE", "body_chunks", "content_length", "has_body", "read_body"]

CHUNK_SIZE = 1024 * 1024
"""Bytes read from the client at a time: large enough to keep uploads fast, small for memory."""

_MAX_CHUNK_LINE = 4096


def content_length(environ: WSGIEnvironment) -> int | None:
    """The declared body length, ``None`` when there is none; 400 when it is not a number."""
    value = environ.get("CONTENT_LENGTH")
    if not value:
        return None
    if not value.isdigit():
        raise DAVError(400, "Content-Length is not a number")
    return int(value)


def is_chunked(environ: WSGIEnvironment) -> bool:
    """Whether the body comes with chunked transfer coding."""
    return "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


def has_body(environ: WSGIEnvironment) -> bool:
    """Whether the request carries a body (of any length but zero)."""
    return is_chunked(environ) or bool(content_length(environ))


def body_chunks(environ: WSGIEnvironment, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The body's bytes in chunks of at most ``chunk_size``; 400 when the body is cut short."""
    stream: BinaryIO = environ["wsgi.input"]
    if is_chunked(environ):
        if environ.get("wsgi.input_terminated"):
            while True:
                chunk = stream.read(chunk_size)
                if not chunk:
                    return
                yield chunk
        else:
            yield from _decode_chunked(stream, chunk_size)
        return
    remaining = content_length(environ) or 0
    while remaining > 0:
        chunk = stream.read(min(chunk_size, remaining))
        if not chunk:
            raise DAVError(400, "the request body ended before its Content-Length")
        remaining -= len(chunk)
        yield chunk


def read_body(environ: WSGIEnvironment, limit: int) -> bytes:
    """The whole body, at most ``limit`` bytes (413 past it, before reading when declared)."""
    declared = content_length(environ)
    if declared is not None and declared > limit:
        raise DAVError(413, f"the request body is larger than {limit} bytes")
    parts: list[bytes] = []
    size = 0
    for chunk in body_chunks(environ, min(limit + 1, CHUNK_SIZE)):
        size += len(chunk)
        if size > limit:
            raise DAVError(413, f"the request body is larger than {limit} bytes")
        parts.append(chunk)
    return b"".join(parts)


def _decode_chunked(stream: BinaryIO, chunk_size: int) -> Iterator[bytes]:
    """The data of a chunked body read from the raw stream (RFC 9112 section 7.1)."""
    while True:
        line = stream.readline(_MAX_CHUNK_LINE)
        if not line.endswith(b"\n"):
            raise DAVError(400, "a chunked body ended or its chunk line is malformed")
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise DAVError(400, "a chunk size is not hexadecimal") from None
        if size < 0:
            raise DAVError(400, "a chunk size is negative")
        if size == 0:
            while stream.readline(_MAX_CHUNK_LINE).strip():
                pass
            return
        while size > 0:
            data = stream.read(min(size, chunk_size))
            if not data:
                raise DAVError(400, "a chunked body ended inside a chunk")
            size -= len(data)
            yield data
        if stream.readline(_MAX_CHUNK_LINE).strip():
            raise DAVError(400, "a chunk is longer than its size")
