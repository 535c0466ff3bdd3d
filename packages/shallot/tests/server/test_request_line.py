"""The request line: the embedded server's own parse of the usual form gives exactly what
cheroot's ``read_request_line`` gives, and every other line still gets cheroot's answer.

Each line is read twice from a real socket pair, once by :class:`Request` and once by cheroot's
``HTTPRequest.read_request_line`` on an identical request, and the outcomes compared: whether the
request goes on, what it set, and what was sent back.
"""

from __future__ import annotations

import random
import socket

import pytest
from cheroot.server import HTTPRequest
from cheroot.wsgi import Server

from shallot.server.embedded import _Connection
from shallot.server.request import ORIGIN_FORM, Request
from shallot.server.request_head import MAX_REQUEST_LINE, HeadReader

PARSED = (
    "started_request",
    "method",
    "uri",
    "path",
    "qs",
    "scheme",
    "authority",
    "request_protocol",
    "response_protocol",
)
"""What ``read_request_line`` sets on a request it accepts."""

LINES = [
    b"GET / HTTP/1.1\r\n",
    b"GET /a/b.txt HTTP/1.1\r\n",
    b"PROPFIND /dav/folder/ HTTP/1.1\r\n",
    b"GET /old HTTP/1.0\r\n",
    b"GET /a%20b/%C3%A9.txt HTTP/1.1\r\n",
    b"GET /q?x=1&y=%C3%A9&z=a?b HTTP/1.1\r\n",
    b"GET /q? HTTP/1.1\r\n",
    b"GET /a:b;c=d/~e HTTP/1.1\r\n",
    b"GET /a%2Fb HTTP/1.1\r\n",
    b"GET /a%2fb%41 HTTP/1.1\r\n",
    b"GET /bad%zz%4 HTTP/1.1\r\n",
    b"GET //host/path HTTP/1.1\r\n",
    b"GET http://example.org/path HTTP/1.1\r\n",
    b"GET a/relative HTTP/1.1\r\n",
    b"GET /frag#ment HTTP/1.1\r\n",
    b"GET /q?a#b HTTP/1.1\r\n",
    b"OPTIONS * HTTP/1.1\r\n",
    b"OPTIONS /a%20b HTTP/1.1\r\n",
    b"CONNECT example.org:443 HTTP/1.1\r\n",
    b"get / HTTP/1.1\r\n",
    b"GET / HTTP/1.2\r\n",
    b"GET / HTTP/2.0\r\n",
    b"GET / HTTP/0.9\r\n",
    b"GET / HTTPS/1.1\r\n",
    b"GET / HTTP/1\r\n",
    b"GET /\xc3\xa9 HTTP/1.1\r\n",
    b"GET /a\tb HTTP/1.1\r\n",
    b"GET /a b HTTP/1.1\r\n",
    b"GET  / HTTP/1.1\r\n",
    b"GET / HTTP/1.1 \r\n",
    b"GET / HTTP/1.1\n",
    b"GET /\r\n",
    b"\r\nGET /after-a-blank-line HTTP/1.1\r\n",
    b"\r\n\r\nGET /after-two HTTP/1.1\r\n",
    b"",
]


def read_line(raw: bytes, read: object) -> tuple[object, dict[str, object], bytes]:
    """Feed ``raw`` through a socket pair to a fresh :class:`Request` and call ``read`` on it: the
    result, the attributes it set and the bytes it answered."""
    server = Server(("127.0.0.1", 0), lambda environ, start_response: [])
    ours, peer = socket.socketpair()
    with ours, peer:
        peer.sendall(raw)
        peer.shutdown(socket.SHUT_WR)
        connection = _Connection(server, ours)
        request = Request(server, connection)
        request.rfile = HeadReader(connection.rfile, MAX_REQUEST_LINE)
        result = read(request)  # type: ignore[operator]  # one of two unbound methods
        ours.shutdown(socket.SHUT_WR)
        answered = b""
        while chunk := peer.recv(65536):
            answered += chunk
        parsed = {name: getattr(request, name, None) for name in PARSED} if result else {}
        return result, parsed, answered


def assert_as_cheroot(raw: bytes) -> None:
    assert read_line(raw, Request.read_request_line) == read_line(
        raw, HTTPRequest.read_request_line
    )


@pytest.mark.parametrize("raw", LINES)
def test_each_line_is_read_as_cheroot_reads_it(raw: bytes) -> None:
    assert_as_cheroot(raw)


def test_the_usual_lines_take_the_own_parse() -> None:
    """The lines the comparison above covers on our own path really are the usual form."""
    own = [raw for raw in LINES if ORIGIN_FORM.fullmatch(raw)]
    assert len(own) >= 10
    assert b"GET /a%20b/%C3%A9.txt HTTP/1.1\r\n" in own
    assert not ORIGIN_FORM.fullmatch(b"GET //host/path HTTP/1.1\r\n")
    assert not ORIGIN_FORM.fullmatch(b"GET /\xc3\xa9 HTTP/1.1\r\n")


def test_random_lines_are_read_as_cheroot_reads_them() -> None:
    """Lines built from the bytes that matter to the parse, 400 of them, a fixed seed."""
    pieces = [b"GET", b"PUT", b"get", b"OPTIONS", b" ", b"/", b"//", b"?", b"#", b"%", b"2F",
              b"2f", b"41", b"zz", b"a", b":", b"\xc3\xa9", b"\t", b"HTTP/1.1", b"HTTP/1.0",
              b"HTTP/1.2", b"http://h"]  # fmt: skip
    chance = random.Random(20261122)
    for _ in range(400):
        middle = b"".join(chance.choice(pieces) for _ in range(chance.randint(0, 6)))
        start = chance.choice([b"GET /", b"PUT /", b"GET "])
        end = chance.choice([b" HTTP/1.1\r\n", b" HTTP/1.0\r\n", b"\r\n", b" HTTP/1.1\n"])
        assert_as_cheroot(start + middle + end)
