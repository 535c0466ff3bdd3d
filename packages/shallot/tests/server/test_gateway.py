"""The embedded server's gateway builds exactly the environ cheroot's own WSGI 1.0 gateway builds
(compared key by key on real requests over a socket), and names headers as cheroot does; its
``start_response`` checks what cheroot's checks and dates every answer once."""

from __future__ import annotations

import re
import socket
import sys
import threading
import time
from typing import TYPE_CHECKING

import pytest
from cheroot.wsgi import Gateway_10

from shallot.http.dates import http_date
from shallot.server import gateway
from shallot.server.embedded import EmbeddedServer
from shallot.server.gateway import Gateway, date_now, environ_name
from shallot.server.listener import open_listener

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

REQUESTS = [
    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /a%20b/%C3%A9?q=%C3%A9&x=1 HTTP/1.1\r\nHost: x\r\nAccept: a\r\nAccept: b\r\n\r\n",
    b"PUT /f HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc",
    b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    b"LOCK /l HTTP/1.1\r\nHost: x\r\nDepth: 0\r\nTimeout: Second-60\r\nIf: (<urn:x>)\r\n"
    b"X-Custom_Name: \xe9t\xe9\r\nlower-case: yes\r\n\r\n",
    b"GET /old HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
]


def answer(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Length", "2")])
    return [b"ok"]


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[tuple[dict[str, object], ...]]:
    """Each request's environ from our gateway and from cheroot's, built on the same request."""
    pairs: list[tuple[dict[str, object], ...]] = []
    ours = Gateway.get_environ

    def both(self: Gateway) -> WSGIEnvironment:
        environ = ours(self)
        cheroots: WSGIEnvironment = Gateway_10.get_environ(self)  # type: ignore[no-untyped-call]  # cheroot stub
        pairs.append((dict(environ), dict(cheroots)))
        return environ

    monkeypatch.setattr(Gateway, "get_environ", both)
    return pairs


def test_the_environ_is_cheroots(compared: list[tuple[dict[str, object], ...]]) -> None:
    listener = open_listener("127.0.0.1", 0)
    port = listener.getsockname()[1]
    stop = threading.Event()
    ready = threading.Event()
    thread = threading.Thread(
        target=EmbeddedServer(answer, listener, threads=2).serve, args=(stop, ready.set)
    )
    thread.start()
    try:
        assert ready.wait(30)
        for raw in REQUESTS:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
                client.sendall(raw)
                assert client.recv(65536).startswith(b"HTTP/1.1 200 OK")
    finally:
        stop.set()
        thread.join(30)
    assert len(compared) == len(REQUESTS)
    for ours, theirs in compared:
        assert ours == theirs
    locked = compared[4][0]
    assert (locked["HTTP_DEPTH"], locked["HTTP_X_CUSTOM_NAME"]) == ("0", "\xe9t\xe9")
    assert compared[2][0]["CONTENT_LENGTH"] == "3"
    assert "HTTP_CONTENT_TYPE" not in compared[2][0]


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (b"Content-Type", "CONTENT_TYPE"),
        (b"Content-Length", "CONTENT_LENGTH"),
        (b"Depth", "HTTP_DEPTH"),
        (b"X-Forwarded-For", "HTTP_X_FORWARDED_FOR"),
        (b"Lower-Case", "HTTP_LOWER_CASE"),
    ],
)
def test_environ_names(header: bytes, name: str) -> None:
    assert environ_name(header) == name


def test_invented_header_names_are_not_all_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gateway, "_environ_names", {})
    for number in range(3 * gateway._NAMES_KEPT):
        assert environ_name(f"X-Made-Up-{number}".encode()) == f"HTTP_X_MADE_UP_{number}"
    assert len(gateway._environ_names) == gateway._NAMES_KEPT


def heads(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Answers as ``PATH_INFO`` says, to exercise ``start_response``."""
    path = environ["PATH_INFO"]
    if path == "/dated":
        start_response("200 OK", [("Date", "Sun, 06 Nov 1994 08:49:37 GMT"), ("X-A", "1")])
    elif path == "/restarted":
        start_response("200 OK", [("Content-Type", "text/html"), ("X-First", "1")])
        try:
            raise ValueError("failed before the body")
        except ValueError:
            start_response("503 Busy", [("Content-Length", "4")], sys.exc_info())
        return [b"busy"]
    elif path == "/twice":
        start_response("200 OK", [])
        start_response("200 OK", [])
    elif path == "/not-str":
        start_response("200 OK", [("X-Number", 5)])  # type: ignore[list-item]  # the wrong type on purpose
    elif path == "/not-latin-1":
        start_response("200 OK", [("X-Name", "\u20ac")])
    else:
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def exchange(port: int, path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """The status line, header fields and body of one GET over a fresh connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := client.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    fields = [(name, value) for name, _, value in (line.partition(": ") for line in lines)]
    return status, fields, body


@pytest.fixture
def heads_port() -> Iterator[int]:
    listener = open_listener("127.0.0.1", 0)
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=EmbeddedServer(heads, listener, threads=2).serve, args=(stop, ready.set)
    )
    thread.start()
    assert ready.wait(30)
    yield listener.getsockname()[1]
    stop.set()
    thread.join(30)


def test_every_answer_is_dated_once(heads_port: int) -> None:
    before = time.time()
    status, fields, body = exchange(heads_port, "/plain")
    after = time.time()
    assert (status, body) == ("HTTP/1.1 200 OK", b"ok")
    dates = [value for name, value in fields if name.lower() == "date"]
    assert len(dates) == 1
    assert dates[0] in {http_date(moment) for moment in range(int(before), int(after) + 1)}
    assert [name for name, _ in fields][:2] == ["Content-Type", "Content-Length"]
    _, fields, _ = exchange(heads_port, "/dated")
    assert [value for name, value in fields if name.lower() == "date"] == [
        "Sun, 06 Nov 1994 08:49:37 GMT"
    ]


def test_a_second_start_response_with_exc_info_replaces_the_head(heads_port: int) -> None:
    status, fields, body = exchange(heads_port, "/restarted")
    assert (status, body) == ("HTTP/1.1 503 Busy", b"busy")
    names = [name for name, _ in fields]
    assert "X-First" not in names  # cheroot kept the fields of both heads
    assert "Content-Type" not in names
    assert ("Content-Length", "4") in fields


@pytest.mark.parametrize("path", ["/twice", "/not-str", "/not-latin-1"])
def test_start_response_misuse_is_a_500(heads_port: int, path: str) -> None:
    status, _, body = exchange(heads_port, path)
    assert status == "HTTP/1.1 500 Internal Server Error"
    assert b"ok" not in body


def test_the_date_is_formatted_once_a_second() -> None:
    first = date_now()
    assert date_now() is first or date_now() == http_date(time.time()).encode()
    assert re.fullmatch(rb"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT", first)
