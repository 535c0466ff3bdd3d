"""The embedded server's request: cheroot's, reading its head and a chunked body safely.

cheroot's ``HTTPRequest`` parses the request and runs the application; :class:`Request` changes
how it reads: the head through :mod:`shallot.server.request_head` (limits answered 414 and 431,
ambiguous fields 400) and a chunked body through :mod:`shallot.server.chunked_body` (streamed,
its framing checked, 400 when malformed).

The usual request line, ``METHOD /path?query HTTP/1.1`` in plain ASCII, is parsed by one regular
expression (:data:`ORIGIN_FORM`) into exactly what cheroot's ``read_request_line`` would set;
every other line (absolute URIs, ``OPTIONS`` and ``CONNECT``, an encoded slash, anything
malformed) goes through cheroot's own parser, with its answers. cheroot splits and checks every
line through :func:`urllib.parse.urlsplit`, which cost a small request more than its headers.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from cheroot.errors import MaxSizeExceeded
from cheroot.server import HTTPRequest

from shallot.server.chunked_body import ChunkedBody, MalformedChunkedBody
from shallot.server.request_head import (
    MAX_HEADER_FIELDS,
    MAX_REQUEST_LINE,
    HeadReader,
    read_header_fields,
)

__all__ = ["ORIGIN_FORM", "Request"]

ORIGIN_FORM = re.compile(rb"([A-Z]+) ((/(?!/)[!-\"$->@-~]*)(?:\?([!-\"$-~]*))?) HTTP/1\.([01])\r\n")
"""A request line cheroot would take, in the form its own parser is needlessly slow for: an
upper-case method, a path of printable ASCII (no ``?`` or ``#``) starting with one slash, an
optional query without ``#``, and HTTP/1.0 or 1.1. Its groups: the method, the request target,
the path, the query (``None`` without a ``?``) and the protocol's minor version."""

_OWN_PARSER_METHODS = frozenset({b"OPTIONS", b"CONNECT"})
"""Methods whose request target cheroot reads its own way (``*``, authority form)."""

_PROTOCOLS = {b"0": b"HTTP/1.0", b"1": b"HTTP/1.1"}
_RESPONSE_PROTOCOLS = {b"0": "HTTP/1.0", b"1": "HTTP/1.1"}
"""The protocol of the answer to each minor version: the lower of the client's and ours (1.1)."""

_QUOTED_SLASH = re.compile(rb"%2[fF]")
"""An encoded slash, which cheroot keeps encoded while decoding the rest of the path."""


class _LineFirst:
    """A head's lines with one already taken put back in front, for cheroot's own parser."""

    __slots__ = ("_head", "_line")

    def __init__(self, line: bytes, head: HeadReader) -> None:
        self._line: bytes | None = line
        self._head = head

    def readline(self, size: int | None = None) -> bytes:
        line = self._line
        if line is None:
            return self._head.readline(size)
        self._line = None
        return line


class Request(HTTPRequest):
    """cheroot's request, its head read through :class:`HeadReader` within the limits, and a
    chunked body through :class:`~shallot.server.chunked_body.ChunkedBody`."""

    header_reader = staticmethod(read_header_fields)

    def read_request_line(self) -> bool:
        """Read and parse the request line as cheroot does (see the module docs); whether the
        request goes on (``False`` when the connection ended or an error was answered)."""
        head = self.rfile
        line = head.readline()
        found = ORIGIN_FORM.fullmatch(line)
        if found is not None:
            method, uri, path, query, minor = found.groups()
            encoded = b"%" in path
            if method not in _OWN_PARSER_METHODS and not (encoded and _QUOTED_SLASH.search(path)):
                self.started_request = True
                self.method = method
                self.uri = uri
                self.authority = b""
                self.path = unquote_to_bytes(path) if encoded else path
                self.qs = query or b""
                self.request_protocol = _PROTOCOLS[minor]
                self.response_protocol = _RESPONSE_PROTOCOLS[minor]
                return True
        self.rfile = _LineFirst(line, head)
        try:
            return bool(super().read_request_line())  # type: ignore[no-untyped-call]  # cheroot's stub
        finally:
            self.rfile = head

    def parse_request(self) -> None:
        """Read the request line and the header fields; answer 414, 431 or 400 when they break
        the limits or the rules (the connection then closes)."""
        head = self.rfile = HeadReader(self.conn.rfile, MAX_REQUEST_LINE)
        try:
            if not self.read_request_line():
                return
        except MaxSizeExceeded:
            self.simple_response(
                "414 URI Too Long", f"The request line is longer than {MAX_REQUEST_LINE} bytes."
            )
            return
        head.allow(MAX_HEADER_FIELDS)
        try:
            if not self.read_request_headers():  # type: ignore[no-untyped-call]  # cheroot's stub
                return
        except MaxSizeExceeded:
            self.simple_response(
                "431 Request Header Fields Too Large",
                f"The header fields take more than {MAX_HEADER_FIELDS} bytes.",
            )
            return
        self.ready = True

    def respond(self) -> None:
        """Run the application (as cheroot does), a chunked body read through
        :class:`~shallot.server.chunked_body.ChunkedBody`.

        A malformed chunked body the application lets through is answered 400 when no answer
        has started; the connection closes whenever the body was not read to its end, since what
        is left of it cannot be told from the next request.
        """
        if not self.chunked_read:
            super().respond()
            return
        body = self.rfile = ChunkedBody(self.conn.rfile)
        try:
            self.server.gateway(self).respond()
        except MalformedChunkedBody as error:
            self.close_connection = True
            if not self.sent_headers:
                self.simple_response("400 Bad Request", error.message or "")
            return
        finally:
            if not body.finished:
                self.close_connection = True
        if self.ready:
            self.ensure_headers_sent()
        if self.chunked_write:
            self.conn.wfile.write(b"0\r\n\r\n")
