"""The ``wsgi.input`` of a chunked request: the chunks' data, streamed, the framing checked.

cheroot's own chunked reader reads each chunk whole, whatever size the client declares: one
300 MiB chunk took 650 MB of the server's memory (and over 30 s, appending to a buffer), a
declared size of terabytes raised ``MemoryError`` (a 500), and its size line had no length limit.
:class:`ChunkedBody` never reads more than the application asked for, bounds the size line
(:data:`MAX_CHUNK_LINE`) and the trailer fields (as many bytes as the head's fields), and accepts
only the framing of RFC 9112 section 7.1: a size in hex digits (no sign, ``0x`` or ``_``, which
Python's ``int`` would take), optional extensions after ``;``, CRLF after the size and after each
chunk's data.

A body that breaks the framing or ends early raises :class:`MalformedChunkedBody`, a
``400 Bad Request`` :class:`~shallot.http.HTTPException`, from ``read``: the layers of
``shallot-dav`` and ``shallot-routing`` answer it as such, and the server answers it when an
application lets it through (see :class:`~shallot.server.request.Request`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cheroot.errors import MaxSizeExceeded

from shallot.http import HTTPException
from shallot.server.request_head import MAX_HEADER_FIELDS, HeadReader

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO

__all__ = ["MAX_CHUNK_LINE", "ChunkedBody", "MalformedChunkedBody"]

MAX_CHUNK_LINE = 4096
"""The longest chunk size line accepted, extensions and CRLF included."""

_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r\n")
_PIECE = 1024 * 1024  # the most asked of the connection at once, whatever the sizes


class MalformedChunkedBody(HTTPException):
    """The chunked request body broke its framing or ended before its last chunk: 400."""

    def __init__(self, reason: str) -> None:
        super().__init__(400, f"malformed chunked request body: {reason}")


class ChunkedBody:
    """The data of the chunked body arriving on ``reader`` (see the module documentation)."""

    def __init__(self, reader: BinaryIO) -> None:
        self._reader = reader
        self._left = 0  # bytes of the current chunk not read yet; 0 between chunks
        self.finished = False
        """Whether the whole body, its last chunk and trailer fields included, has been read."""

    def read(self, size: int | None = -1, /) -> bytes:
        """Up to ``size`` bytes of data (all that is left when ``size`` is negative or ``None``);
        fewer only at the end of the body."""
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(_PIECE), b""))
        pieces: list[bytes] = []
        while size > 0 and self._open_chunk():
            piece = self._take(self._reader.read(min(size, self._left, _PIECE)))
            pieces.append(piece)
            size -= len(piece)
        return b"".join(pieces)

    def readline(self, size: int | None = -1, /) -> bytes:
        """One line of the data, ending with ``b"\\n"`` unless the body or ``size`` ends first."""
        limit = -1 if size is None or size < 0 else size
        pieces: list[bytes] = []
        while limit and self._open_chunk():
            ask = min(self._left, _PIECE) if limit < 0 else min(limit, self._left, _PIECE)
            piece = self._take(self._reader.readline(ask))
            pieces.append(piece)
            if piece.endswith(b"\n"):
                break
            if limit > 0:
                limit -= len(piece)
        return b"".join(pieces)

    def readlines(self, hint: int = -1, /) -> list[bytes]:
        """The remaining lines (stopping once ``hint`` bytes, when positive, have been read)."""
        lines: list[bytes] = []
        total = 0
        for line in self:
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                break
        return lines

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")

    def _open_chunk(self) -> bool:
        """Whether data is left, reading the next size line (and the trailer) when needed."""
        if self._left:
            return True
        if self.finished:
            return False
        line = self._reader.readline(MAX_CHUNK_LINE + 1)
        if not line.endswith(b"\n"):
            if len(line) > MAX_CHUNK_LINE:
                raise MalformedChunkedBody(f"a chunk size line is over {MAX_CHUNK_LINE} bytes")
            raise MalformedChunkedBody("the body ended before its last chunk")
        match = _CHUNK_SIZE.fullmatch(line)
        if match is None:
            raise MalformedChunkedBody("invalid chunk size line")
        self._left = int(match[1], 16)
        if self._left:
            return True
        self._read_trailer()
        self.finished = True
        return False

    def _take(self, data: bytes) -> bytes:
        """``data`` just read from the current chunk; its CRLF is checked when the chunk ends."""
        if not data:
            raise MalformedChunkedBody("the body ended inside a chunk")
        self._left -= len(data)
        if not self._left and self._reader.read(2) != b"\r\n":
            raise MalformedChunkedBody("a chunk's data is not followed by CRLF")
        return data

    def _read_trailer(self) -> None:
        """Skip the trailer fields after the last chunk, up to the empty line, within limits."""
        trailer = HeadReader(self._reader, MAX_HEADER_FIELDS)
        try:
            while (line := trailer.readline()) != b"\r\n":
                if not line.endswith(b"\r\n"):
                    raise MalformedChunkedBody("the trailer fields are cut short")
        except MaxSizeExceeded:
            raise MalformedChunkedBody("the trailer fields are too large") from None
