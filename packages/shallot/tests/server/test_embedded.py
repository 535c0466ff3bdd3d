from __future__ import annotations

import http.client
import json
import re
import socket
import threading
from typing import TYPE_CHECKING

import pytest

from shallot.server.embedded import EmbeddedServer
from shallot.server.listener import base_url, open_listener
from shallot.testing import connect

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIEnvironment


def echo(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Answers with the request body and what the server put in the environ."""
    body = environ["wsgi.input"].read()
    report = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"],
        "length": len(body),
        "terminated": environ.get("wsgi.input_terminated", False),
        "protocol": environ["SERVER_PROTOCOL"],
    }
    data = json.dumps(report).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


class Running:
    def __init__(self, server: EmbeddedServer) -> None:
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.url = base_url(server.listener)
        self.address: tuple[str, int] = server.listener.getsockname()[:2]
        self.thread = threading.Thread(target=server.serve, args=(self.stop, self.ready.set))
        self.thread.start()
        assert self.ready.wait(30)

    def halt(self) -> None:
        self.stop.set()
        self.thread.join(30)
        assert not self.thread.is_alive()


@pytest.fixture
def running() -> Iterator[Running]:
    server = Running(EmbeddedServer(echo, open_listener("127.0.0.1", 0), threads=2))
    yield server
    server.halt()


def test_keep_alive_serves_several_requests_on_one_connection(running: Running) -> None:
    with connect(running.url) as connection:
        for path in ("/a", "/b%20c"):
            connection.request("PUT", path, body=b"x" * 1000)
            response = connection.getresponse()
            report = json.loads(response.read())
            assert response.status == 200
            assert response.getheader("Server") == "shallot"
            assert report == {
                "method": "PUT",
                "path": path.replace("%20", " "),
                "length": 1000,
                "terminated": False,
                "protocol": "HTTP/1.1",
            }
        assert connection.sock is not None


def test_chunked_request_bodies_are_decoded_and_marked_terminated(running: Running) -> None:
    with connect(running.url) as connection:
        connection.request("PUT", "/c", body=iter([b"ab", b"cde" * 1000]), encode_chunked=True)
        report = json.loads(connection.getresponse().read())
    assert report["length"] == 3002
    assert report["terminated"] is True


def test_stop_closes_the_listening_socket(running: Running) -> None:
    port = int(running.url.rsplit(":", 1)[1].strip("/"))
    running.halt()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_a_request_in_progress_finishes_when_the_server_stops() -> None:
    entered = threading.Event()
    release = threading.Event()

    def slow(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        entered.set()
        release.wait(30)
        start_response("200 OK", [("Content-Length", "4")])
        return [b"done"]

    server = Running(EmbeddedServer(slow, open_listener("127.0.0.1", 0)))
    answers: list[bytes] = []

    def client() -> None:
        with connect(server.url) as connection:
            connection.request("GET", "/")
            answers.append(connection.getresponse().read())

    requester = threading.Thread(target=client)
    requester.start()
    assert entered.wait(30)
    server.stop.set()
    release.set()
    requester.join(30)
    server.halt()
    assert answers == [b"done"]


def test_at_least_one_thread_is_needed() -> None:
    with open_listener("127.0.0.1", 0) as listener, pytest.raises(ValueError, match="threads"):
        EmbeddedServer(echo, listener, threads=0)


def test_one_thread_serves_several_busy_keep_alive_connections() -> None:
    """A worker serving a connection's next requests at once must not keep the others waiting
    for ever: with a single thread, connections taking turns are all answered."""
    server = Running(EmbeddedServer(echo, open_listener("127.0.0.1", 0), threads=1))
    try:
        with connect(server.url) as a, connect(server.url) as b, connect(server.url) as c:
            for turn in range(20):
                for name, connection in (("a", a), ("b", b), ("c", c)):
                    connection.request("GET", f"/{name}{turn}")
                    assert json.loads(connection.getresponse().read())["path"] == f"/{name}{turn}"
    finally:
        server.halt()


def test_many_keep_alive_clients_keep_their_connections(running: Running) -> None:
    """Each of 40 clients taking turns is answered on the connection it opened (cheroot's own
    limit of 10 idle connections closed most of them after every answer)."""
    connections = [http.client.HTTPConnection(*running.address, timeout=10) for _ in range(40)]
    try:
        for turn in range(3):
            for index, connection in enumerate(connections):
                connection.request("GET", f"/{index}/{turn}")
                reply = connection.getresponse()
                assert json.loads(reply.read())["path"] == f"/{index}/{turn}"
                assert reply.getheader("Connection") is None
    finally:
        for connection in connections:
            connection.close()


def test_pipelined_requests_are_answered_in_order(running: Running) -> None:
    port = int(running.url.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.sendall(
            b"GET /first HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /second HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        received = b""
        while chunk := raw.recv(65536):
            received += chunk
    paths = [json.loads(part)["path"] for part in re.findall(rb"\{[^}]*\}", received)]
    assert paths == ["/first", "/second", "/third"]


def test_a_client_leaving_between_requests_is_no_error(running: Running) -> None:
    for _ in range(3):
        with connect(running.url) as connection:
            connection.request("GET", "/bye")
            assert connection.getresponse().read()
    with connect(running.url) as connection:
        connection.request("GET", "/still-here")
        assert json.loads(connection.getresponse().read())["path"] == "/still-here"


def pieces(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Answers ``/empty`` with a bodiless 204, ``/fail`` by failing before its first piece of
    body, anything else with a body in several pieces of growing size."""
    path = environ["PATH_INFO"]
    if path == "/empty":
        start_response("204 No Content", [])
        return []
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    if path == "/fail":
        raise RuntimeError("broken before the body")
    return (bytes([n]) * (4**n) for n in range(1, 11))


def test_heads_and_bodies_of_every_shape_arrive_whole() -> None:
    """The head is held back to leave with the first piece of body (one send for a small
    answer); bodiless answers, many pieces and an app failing before its body are all whole."""
    server = Running(EmbeddedServer(pieces, open_listener("127.0.0.1", 0), threads=1))
    try:
        with connect(server.url) as connection:
            for _ in range(2):
                connection.request("GET", "/pieces")
                reply = connection.getresponse()
                assert reply.status == 200
                assert reply.read() == b"".join(bytes([n]) * (4**n) for n in range(1, 11))
                connection.request("GET", "/empty")
                reply = connection.getresponse()
                assert (reply.status, reply.read()) == (204, b"")
                connection.request("HEAD", "/pieces")
                reply = connection.getresponse()
                assert (reply.status, reply.read()) == (200, b"")
        with connect(server.url) as connection:
            connection.request("GET", "/fail")
            reply = connection.getresponse()
            assert reply.status == 500
            assert b"broken" not in reply.read()
    finally:
        server.halt()
