"""fetch and connect: one request to a real loopback server, the answer exactly as it came."""

from __future__ import annotations

import http.client
import json
import socket
from typing import TYPE_CHECKING

import pytest

from shallot.testing import Reply, connect, fetch

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from shallot.testing import Serve


def echo(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Answers with what it was asked, as JSON; ``/redirect`` answers 302, ``/missing`` 404."""
    path = environ["PATH_INFO"]
    if path == "/redirect":
        start_response("302 Found", [("Location", "/elsewhere"), ("Content-Length", "0")])
        return []
    if path == "/missing":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"nothing here"]
    if environ.get("HTTP_TRANSFER_ENCODING") == "chunked":
        raw = b""
        while not raw.endswith(b"\r\n0\r\n\r\n"):
            raw += environ["wsgi.input"].readline()
        received = raw.decode()
    else:
        received = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode()
    answer = {
        "method": environ["REQUEST_METHOD"],
        "path": path,
        "query": environ.get("QUERY_STRING", ""),
        "x-test": environ.get("HTTP_X_TEST"),
        "body": received,
    }
    start_response("200 OK", [("Content-Type", "application/json"), ("X-Echo", "yes")])
    return [json.dumps(answer).encode()]


def test_get(serve: Serve) -> None:
    reply = fetch(serve(echo), "/a/b?c=d", headers={"X-Test": "given"})
    assert isinstance(reply, Reply)
    assert (reply.status, reply.reason) == (200, "OK")
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.headers["X-Echo"] == "yes"
    assert json.loads(reply.body) == {
        "method": "GET",
        "path": "/a/b",
        "query": "c=d",
        "x-test": "given",
        "body": "",
    }


def test_defaults_to_get_of_the_root(serve: Serve) -> None:
    answer = json.loads(fetch(serve(echo)).body)
    assert (answer["method"], answer["path"]) == ("GET", "/")


def test_body_as_bytes(serve: Serve) -> None:
    reply = fetch(serve(echo), "/post", "POST", body=b"hello")
    assert json.loads(reply.body)["body"] == "hello"


def test_body_as_pieces_is_sent_chunked(serve: Serve) -> None:
    reply = fetch(serve(echo), "/post", "PUT", body=iter([b"abc", b"de"]))
    answer = json.loads(reply.body)
    assert answer["method"] == "PUT"
    assert answer["body"] == "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"


def test_redirects_are_not_followed_and_errors_not_raised(serve: Serve) -> None:
    base = serve(echo)
    reply = fetch(base, "/redirect")
    assert (reply.status, reply.reason, reply.body) == (302, "Found", b"")
    assert reply.headers["Location"] == "/elsewhere"
    reply = fetch(base, "/missing")
    assert (reply.status, reply.reason, reply.body) == (404, "Not Found", b"nothing here")


def test_head_reads_what_the_server_sent_after_the_headers(serve: Serve) -> None:
    def head_with_body(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"leaked"] if environ["PATH_INFO"] == "/leaky" else []

    base = serve(head_with_body)
    with connect(base) as connection:
        connection.request("HEAD", "/leaky")
        assert connection.getresponse().read() == b""
    reply = fetch(base, "/leaky", "HEAD")
    assert (reply.status, reply.body) == (200, b"leaked")
    reply = fetch(base, "/clean", "HEAD")
    assert (reply.status, reply.headers["Content-Type"], reply.body) == (200, "text/plain", b"")


def test_timeout() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        with pytest.raises(TimeoutError):
            fetch(f"http://127.0.0.1:{port}", timeout=0.2)


def test_connect(serve: Serve) -> None:
    base = serve(echo)
    with connect(base, timeout=5) as connection:
        assert isinstance(connection, http.client.HTTPConnection)
        assert connection.timeout == 5
        connection.request("GET", "/x")
        assert connection.getresponse().status == 200
    with connect(base) as connection:
        connection.connect()
        assert connection.sock is not None
    assert connection.sock is None
