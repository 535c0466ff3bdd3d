"""The embedded server's gateway builds exactly the environ cheroot's own WSGI 1.0 gateway builds
(compared key by key on real requests over a socket), and names headers as cheroot does."""

from __future__ import annotations

import socket
import threading
from typing import TYPE_CHECKING

import pytest
from cheroot.wsgi import Gateway_10

from shallot.server import gateway
from shallot.server.embedded import EmbeddedServer
from shallot.server.gateway import Gateway, environ_name
from shallot.server.listener import open_listener

if TYPE_CHECKING:
    from collections.abc import Iterable

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
