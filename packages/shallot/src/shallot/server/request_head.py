"""Reading a request's head, its request line and header fields, within fixed limits.

cheroot reads the head through ``SizeCheckWrapper``, which takes each line 256 bytes at a time in
Python, and limits it only when the server sets a size: ours set none, so a client sending one
endless header line made the server keep all of it in memory. Here each line is one call to the
connection's C buffered reader, asked for no more than what is left of the head's allowance, and
going past it ends the request (:class:`~shallot.server.request.Request`) with a precise error
before anything more is read:

- a request line over :data:`MAX_REQUEST_LINE` bytes: ``414 URI Too Long``;
- header fields over :data:`MAX_HEADER_FIELDS` bytes in all: ``431 Request Header Fields Too
  Large`` (RFC 6585).

Header fields are parsed as RFC 9112 asks of a server, refusing with ``400`` what a proxy in
front might read another way (request smuggling): a field line folded onto the next
(``obs-fold``), whitespace between a field name and its colon, a second ``Host``, a second
``Content-Length`` with another value, a ``Content-Length`` that is not plain digits (Python's
``int``, which cheroot applies, would take ``+5``, `` 5`` or ``5_0``), and a ``Content-Length``
beside a ``Transfer-Encoding``. Names are stored title-cased and repeats of the list-valued
fields (:data:`LIST_FIELDS`) joined with ``, ``, as cheroot's own reader does, so the rest of
cheroot and :class:`~shallot.server.gateway.Gateway` see the ``inheaders`` they expect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cheroot.errors import MaxSizeExceeded

if TYPE_CHECKING:
    from typing import BinaryIO

__all__ = [
    "LIST_FIELDS",
    "MAX_HEADER_FIELDS",
    "MAX_REQUEST_LINE",
    "HeadReader",
    "read_header_fields",
]

MAX_REQUEST_LINE = 16 * 1024
"""The longest request line accepted, CRLF included: room for deep paths of long, percent-encoded
UTF-8 names (Apache and nginx stop at 8 KiB)."""

MAX_HEADER_FIELDS = 64 * 1024
"""The most bytes of header fields accepted, all lines together."""

LIST_FIELDS = frozenset(
    name.title()
    for name in (
        b"Accept",
        b"Accept-Charset",
        b"Accept-Encoding",
        b"Accept-Language",
        b"Accept-Ranges",
        b"Allow",
        b"Cache-Control",
        b"Connection",
        b"Content-Encoding",
        b"Content-Language",
        b"Expect",
        b"If-Match",
        b"If-None-Match",
        b"Pragma",
        b"Proxy-Authenticate",
        b"TE",
        b"Trailer",
        b"Transfer-Encoding",
        b"Upgrade",
        b"Vary",
        b"Via",
        b"Warning",
        b"WWW-Authenticate",
    )
)
"""Fields whose repeats are one comma-separated list (RFC 9110 section 5.3), title-cased as
stored; a repeat of another field replaces the earlier value."""

_SINGLE_FIELDS = {
    b"Host": "Repeated Host header.",
    b"Content-Length": "Conflicting Content-Length.",
}
"""Fields a second occurrence of which is refused (a repeated identical Content-Length passes)."""

_CRLF = b"\r\n"
_FOLDED = (32, 9)  # a field line beginning with a space or tab continues the previous one


class HeadReader:
    """Lines of the connection's reader, from an allowance of bytes: :meth:`readline` raises
    cheroot's ``MaxSizeExceeded`` as soon as a line takes more than is left."""

    __slots__ = ("_left", "_readline")

    def __init__(self, reader: BinaryIO, allowance: int) -> None:
        self._readline = reader.readline
        self._left = allowance

    def allow(self, allowance: int) -> None:
        """Start a new allowance (the header fields after the request line)."""
        self._left = allowance

    def readline(self, size: int | None = None) -> bytes:
        """One line, its CRLF included; ``b""`` when the connection ended."""
        left = self._left
        line = self._readline(left + 1 if size is None or size < 0 else min(size, left + 1))
        left -= len(line)
        if left < 0:
            raise MaxSizeExceeded
        self._left = left
        return line


def read_header_fields(head: HeadReader, fields: dict[bytes, bytes]) -> dict[bytes, bytes]:
    """Read header field lines up to the empty line into ``fields`` (see the module docs).

    Raises :class:`ValueError` with the reason (cheroot answers it with 400) for a malformed
    line, and ``MaxSizeExceeded`` past the allowance.
    """
    readline = head.readline
    while True:
        line = readline()
        if line == _CRLF:
            length = fields.get(b"Content-Length")
            if length is not None:
                if not (length.isdigit() and length.isascii()):
                    raise ValueError("Malformed Content-Length Header.")
                if b"Transfer-Encoding" in fields:
                    raise ValueError("Content-Length beside Transfer-Encoding.")
            return fields
        if not line:
            raise ValueError("Illegal end of headers.")
        if not line.endswith(_CRLF):
            raise ValueError("HTTP requires CRLF terminators")
        if line[0] in _FOLDED:
            raise ValueError("Obsolete line folding is not accepted.")
        name, colon, value = line.partition(b":")
        if not colon or not name or name[-1] in _FOLDED:
            raise ValueError("Illegal header line.")
        name = name.title()
        value = value.strip()
        existing = fields.get(name)
        if existing is not None:
            if name in LIST_FIELDS:
                if existing:
                    value = existing + b", " + value
            elif name in _SINGLE_FIELDS and (name == b"Host" or value != existing):
                raise ValueError(_SINGLE_FIELDS[name])
        fields[name] = value
