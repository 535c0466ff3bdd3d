"""The cheroot_serve fixture: an app on cheroot, speaking HTTP/1.1 with keep-alive and decoding
chunked request bodies, gone after the test."""

from __future__ import annotations

import http.client
import socket
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from shallot.testing import CherootServer

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shallot.testing import Serve


def echo(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def test_one_connection_carries_requests_and_a_chunked_body(cheroot_serve: Serve) -> None:
    address = urlsplit(cheroot_serve(echo))
    connection = http.client.HTTPConnection(address.hostname or "", address.port)
    try:
        connection.request("POST", "/", body=b"first")
        first = connection.getresponse()
        assert (first.version, first.read()) == (11, b"first")
        connection.request("POST", "/", body=iter([b"chun", b"ked"]))
        assert connection.getresponse().read() == b"chunked"
    finally:
        connection.close()


def test_a_stopped_server_refuses_connections() -> None:
    server = CherootServer(echo)
    address = urlsplit(server.url)
    server.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((address.hostname or "", address.port or 0), timeout=2)
