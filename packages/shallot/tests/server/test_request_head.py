"""Request heads on the embedded server: limits answered 414/431, smuggling shapes refused with
400, list fields joined, and the reader's allowance exact to the byte."""

from __future__ import annotations

import io
import json
import select
import socket
from typing import TYPE_CHECKING

import pytest
from cheroot.errors import MaxSizeExceeded

from shallot.server.request_head import (
    MAX_HEADER_FIELDS,
    MAX_REQUEST_LINE,
    HeadReader,
    read_header_fields,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .conftest import Address, Serve


def headers_seen(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Answers with the request's header fields as the environ holds them."""
    environ["wsgi.input"].read()
    seen = {key: value for key, value in environ.items() if key.startswith("HTTP_")}
    seen["CONTENT_LENGTH"] = environ.get("CONTENT_LENGTH", "")
    data = json.dumps(seen).encode()
    start_response("200 OK", [("Content-Length", str(len(data)))])
    return [data]


@pytest.fixture
def address(serve_embedded: Serve) -> Address:
    return serve_embedded(headers_seen)


def exchange(address: tuple[str, int], head: bytes, *, closes: bool) -> tuple[int, bytes]:
    """Send ``head`` on a fresh connection and read the answer's status and body; then check that
    the server closed the connection (``closes``) or still serves on it."""
    with socket.create_connection(address, timeout=30) as connection:
        connection.sendall(head)
        status, body = read_answer(connection)
        if closes:
            assert connection.recv(1) == b""
        else:
            connection.sendall(request())
            assert read_answer(connection)[0] == 200
    return status, body


def read_answer(connection: socket.socket) -> tuple[int, bytes]:
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = connection.recv(65536)
        assert chunk, f"the connection closed without an answer: {answer!r}"
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0])
    while len(body) < length:
        chunk = connection.recv(65536)
        assert chunk
        body += chunk
    return int(head.split(b" ", 2)[1]), body


def request(*fields: bytes, path: bytes = b"/") -> bytes:
    return b"GET " + path + b" HTTP/1.1\r\nHost: test\r\n" + b"".join(fields) + b"\r\n"


def test_a_usual_head_is_served_and_the_connection_kept(address: tuple[str, int]) -> None:
    status, body = exchange(address, request(b"Depth: 0\r\n", b"X-OC-Mtime: 5\r\n"), closes=False)
    assert status == 200
    assert json.loads(body) == {
        "HTTP_HOST": "test",
        "HTTP_DEPTH": "0",
        "HTTP_X_OC_MTIME": "5",
        "CONTENT_LENGTH": "",
    }


def test_a_request_line_over_the_limit_is_414(address: tuple[str, int]) -> None:
    fill = MAX_REQUEST_LINE - len(b"GET / HTTP/1.1\r\n")
    longest = b"/" + b"a" * fill
    assert len(b"GET " + longest + b" HTTP/1.1\r\n") == MAX_REQUEST_LINE
    assert exchange(address, request(path=longest), closes=False)[0] == 200
    status, body = exchange(address, request(path=longest + b"a"), closes=True)
    assert status == 414
    assert str(MAX_REQUEST_LINE).encode() in body


def test_header_fields_over_the_limit_are_431(address: tuple[str, int]) -> None:
    line = b"X-Fill: " + b"f" * 1000 + b"\r\n"
    host = b"Host: test\r\n"
    count, rest = divmod(MAX_HEADER_FIELDS - len(host) - 2, len(line))
    filler = line * count + b"X-End: " + b"e" * (rest - len(b"X-End: \r\n")) + b"\r\n"
    fitting = b"GET / HTTP/1.1\r\n" + host + filler + b"\r\n"
    assert len(fitting) - len(b"GET / HTTP/1.1\r\n") == MAX_HEADER_FIELDS
    assert exchange(address, fitting, closes=False)[0] == 200
    status, body = exchange(address, fitting.replace(b"X-End: ", b"X-End: e", 1), closes=True)
    assert status == 431
    assert str(MAX_HEADER_FIELDS).encode() in body


def test_an_endless_header_line_is_cut_off_at_the_limit(address: tuple[str, int]) -> None:
    """The server stops reading at the allowance: the answer comes while the client is still
    sending (it would otherwise wait for the line's end forever)."""
    with socket.create_connection(address, timeout=30) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: test\r\nX-Endless: ")
        for _ in range(64):  # 4 MiB at most
            if select.select([connection], [], [], 0)[0]:
                break  # answered
            try:
                connection.sendall(b"x" * 65536)
            except OSError:  # the server answered and closed: the rest is refused
                break
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(65536)
            assert chunk, answer
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 431 ")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ((b"X-A: one\r\n", b" folded\r\n"), b"Obsolete line folding"),
        ((b"X-A : spaced\r\n",), b"Illegal header line"),
        ((b"X-A\t: tabbed\r\n",), b"Illegal header line"),
        ((b": nameless\r\n",), b"Illegal header line"),
        ((b"no colon\r\n",), b"Illegal header line"),
        ((b"Host: other\r\n",), b"Repeated Host"),
        ((b"Content-Length: 1\r\n", b"Content-Length: 2\r\n"), b"Conflicting Content-Length"),
        ((b"X-A: bare line feed\n",), b"CRLF"),
        ((b"Content-Length: +5\r\n",), b"Malformed Content-Length"),
        ((b"Content-Length: 5_0\r\n",), b"Malformed Content-Length"),
        ((b"Content-Length: -1\r\n",), b"Malformed Content-Length"),
        ((b"Content-Length: \r\n",), b"Malformed Content-Length"),
        (
            (b"Content-Length: 5\r\n", b"Transfer-Encoding: chunked\r\n"),
            b"Content-Length beside Transfer-Encoding",
        ),
    ],
)
def test_malformed_and_ambiguous_fields_are_400(
    address: tuple[str, int], fields: tuple[bytes, ...], reason: bytes
) -> None:
    status, body = exchange(address, request(*fields), closes=True)
    assert status == 400
    assert reason in body


def test_repeats_join_for_list_fields_and_replace_for_others(address: tuple[str, int]) -> None:
    fields = (
        b"Accept: text/html\r\n",
        b"accept: text/plain\r\n",
        b"X-Single: first\r\n",
        b"X-Single: second\r\n",
        b"Content-Length: 2\r\n",
        b"Content-Length: 2\r\n",
    )
    status, body = exchange(address, request(*fields) + b"ok", closes=False)
    assert status == 200
    seen = json.loads(body)
    assert seen["HTTP_ACCEPT"] == "text/html, text/plain"
    assert seen["HTTP_X_SINGLE"] == "second"
    assert seen["CONTENT_LENGTH"] == "2"


def reader(data: bytes, allowance: int) -> HeadReader:
    return HeadReader(io.BufferedReader(io.BytesIO(data)), allowance)


def test_the_allowance_is_exact() -> None:
    head = reader(b"12345\r\n67\r\n", 7)
    assert head.readline() == b"12345\r\n"
    with pytest.raises(MaxSizeExceeded):
        head.readline()
    head = reader(b"12345\r\n67\r\n", 11)
    assert (head.readline(), head.readline(), head.readline()) == (b"12345\r\n", b"67\r\n", b"")
    head.allow(3)
    assert head.readline(2) == b""


def test_header_fields_end_at_the_empty_line_and_not_before() -> None:
    fields = read_header_fields(reader(b"A: 1\r\nB-c:2 \r\n\r\nBody", 100), {})
    assert fields == {b"A": b"1", b"B-C": b"2"}
    with pytest.raises(ValueError, match="Illegal end of headers"):
        read_header_fields(reader(b"A: 1\r\n", 100), {})
