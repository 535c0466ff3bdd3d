"""Chunked request bodies: streamed in the sizes asked for, framing checked, 400 when malformed,
and the connection closed when a body is left unread."""

from __future__ import annotations

import io
import socket
from typing import TYPE_CHECKING

import pytest

from shallot.http import HTTPException
from shallot.server.chunked_body import MAX_CHUNK_LINE, ChunkedBody, MalformedChunkedBody

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .conftest import Address, Serve


class Recording(io.BufferedReader):
    """A reader over ``data`` that records the largest size asked of it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self.largest = 0

    def read(self, size: int | None = -1, /) -> bytes:
        self.largest = max(self.largest, size if size is not None else -1)
        return super().read(size)

    def readline(self, size: int | None = -1, /) -> bytes:
        self.largest = max(self.largest, size if size is not None else -1)
        return super().readline(size)


def body(data: bytes) -> ChunkedBody:
    return ChunkedBody(Recording(data))


def test_data_across_chunks_extensions_and_trailer() -> None:
    chunked = body(b"5\r\nhello\r\n7;name=value\r\n, world\r\n0\r\nX-Sum: 1\r\n\r\nNEXT")
    assert chunked.read(3) == b"hel"
    assert not chunked.finished
    assert chunked.read(100) == b"lo, world"
    assert chunked.finished
    assert chunked.read(10) == b""


def test_read_all_readline_and_iteration() -> None:
    data = b"4\r\none\n\r\n6\r\ntwo\nth\r\n5\r\nree\n!\r\n0\r\n\r\n"
    assert body(data).read() == b"one\ntwo\nthree\n!"
    assert list(body(data)) == [b"one\n", b"two\n", b"three\n", b"!"]
    assert body(data).readlines() == [b"one\n", b"two\n", b"three\n", b"!"]
    lines = body(data)
    assert (lines.readline(2), lines.readline(), lines.readline(-1)) == (b"on", b"e\n", b"two\n")


def test_a_huge_declared_chunk_is_read_only_as_asked() -> None:
    """cheroot read a chunk whole: a declared size of terabytes was one allocation of that size."""
    reader = Recording(b"FFFFFFFFFF\r\n" + b"x" * 100_000)
    chunked = ChunkedBody(reader)
    assert chunked.read(65536) == b"x" * 65536
    assert reader.largest <= 65536
    with pytest.raises(MalformedChunkedBody, match="ended inside a chunk"):
        chunked.readline()  # no line feed before the data ends, and the chunk goes on
    assert reader.largest <= 1024 * 1024


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"0x5\r\nhello\r\n0\r\n\r\n", "invalid chunk size"),
        (b"-5\r\nhello\r\n0\r\n\r\n", "invalid chunk size"),
        (b"1_0\r\n" + b"x" * 16 + b"\r\n0\r\n\r\n", "invalid chunk size"),
        (b" 5\r\nhello\r\n0\r\n\r\n", "invalid chunk size"),
        (b"5\nhello\r\n0\r\n\r\n", "invalid chunk size"),
        (b"\r\n", "invalid chunk size"),
        (b"5\r\nhello!\r\n0\r\n\r\n", "not followed by CRLF"),
        (b"5\r\nhel", "ended inside a chunk"),
        (b"5\r\nhello\r\n", "ended before its last chunk"),
        (b"", "ended before its last chunk"),
        (b"5" * (MAX_CHUNK_LINE + 1), f"over {MAX_CHUNK_LINE} bytes"),
        (b"0\r\nX-Trailer: 1\r\n", "trailer fields are cut short"),
        (b"0\r\n" + b"X: " + b"t" * 70_000 + b"\r\n\r\n", "trailer fields are too large"),
    ],
)
def test_framing_errors_are_400(data: bytes, reason: str) -> None:
    with pytest.raises(MalformedChunkedBody, match=reason) as raised:
        body(data).read()
    assert isinstance(raised.value, HTTPException)
    assert raised.value.response.status_code == 400


def test_the_longest_size_line_is_accepted() -> None:
    line = b"5;" + b"e" * (MAX_CHUNK_LINE - 4) + b"\r\n"
    assert len(line) == MAX_CHUNK_LINE
    assert body(line + b"hello\r\n0\r\n\r\n").read() == b"hello"


# Over a real server.


def reading(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Reads the body when the path says so, without catching what reading raises."""
    data = environ["wsgi.input"].read() if environ["PATH_INFO"] == "/read" else b""
    answer = b"%d bytes" % len(data)
    start_response("200 OK", [("Content-Length", str(len(answer)))])
    return [answer]


@pytest.fixture
def address(serve_embedded: Serve) -> Address:
    return serve_embedded(reading)


def send(address: tuple[str, int], path: bytes, chunked: bytes) -> tuple[bytes, bytes]:
    """One chunked POST and a GET after it on the same connection: the first answer, and what
    followed it until the server closed the connection or answered the GET."""
    with socket.create_connection(address, timeout=30) as connection:
        connection.sendall(
            b"POST "
            + path
            + b" HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunked
            + b"GET /next HTTP/1.1\r\nHost: t\r\n\r\n"
        )
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
            if received.count(b"HTTP/1.1 ") == 2 and received.endswith(b"bytes"):
                break
    head, _, rest = received.partition(b"\r\n\r\n")
    body, next_answer, after = rest.partition(b"HTTP/1.1 ")
    return head + b"\r\n\r\n" + body, next_answer + after


def test_a_whole_body_is_read_and_the_connection_kept(address: tuple[str, int]) -> None:
    first, rest = send(address, b"/read", b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
    assert first.startswith(b"HTTP/1.1 200 ")
    assert first.endswith(b"5 bytes")
    assert rest.endswith(b"0 bytes")  # the GET after it was served


def test_a_malformed_body_the_app_lets_through_is_400_and_closes(
    address: tuple[str, int],
) -> None:
    first, rest = send(address, b"/read", b"3\r\nabc\r\nzz\r\n0\r\n\r\n")
    assert first.startswith(b"HTTP/1.1 400 ")
    assert b"invalid chunk size" in first
    assert b"HTTP/1.1" not in rest  # closed: the GET was never read as a request


def test_a_body_left_unread_closes_the_connection(address: tuple[str, int]) -> None:
    first, rest = send(address, b"/ignore", b"3\r\nabc\r\n0\r\n\r\n")
    assert first.startswith(b"HTTP/1.1 200 ")
    assert first.endswith(b"0 bytes")
    assert b"HTTP/1.1" not in rest
