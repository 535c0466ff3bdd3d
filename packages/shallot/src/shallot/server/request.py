"""The embedded server's request: cheroot's, reading its head and a chunked body safely.

cheroot's ``HTTPRequest`` parses the request and runs the application; :class:`Request` changes
how it reads: the head through :mod:`shallot.server.request_head` (limits answered 414 and 431,
ambiguous fields 400) and a chunked body through :mod:`shallot.server.chunked_body` (streamed,
its framing checked, 400 when malformed).
"""

from __future__ import annotations

from cheroot.errors import MaxSizeExceeded
from cheroot.server import HTTPRequest

from shallot.server.chunked_body import ChunkedBody, MalformedChunkedBody
from shallot.server.request_head import (
    MAX_HEADER_FIELDS,
    MAX_REQUEST_LINE,
    HeadReader,
    read_header_fields,
)

__all__ = ["Request"]


class Request(HTTPRequest):
    """cheroot's request, its head read through :class:`HeadReader` within the limits, and a
    chunked body through :class:`~shallot.server.chunked_body.ChunkedBody`."""

    header_reader = staticmethod(read_header_fields)

    def parse_request(self) -> None:
        """Read the request line and the header fields; answer 414, 431 or 400 when they break
        the limits or the rules (the connection then closes)."""
        head = self.rfile = HeadReader(self.conn.rfile, MAX_REQUEST_LINE)
        try:
            if not self.read_request_line():  # type: ignore[no-untyped-call]  # cheroot's stub
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
