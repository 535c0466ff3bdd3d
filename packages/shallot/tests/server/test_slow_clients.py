"""Slow and silent clients hold no worker thread: a connection reaches a thread only once its
request head has arrived whole, so a few such clients (as many as the server has threads) cannot
stop it from answering everyone else."""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import TYPE_CHECKING

import pytest

from shallot.server.embedded import EmbeddedServer
from shallot.server.listener import open_listener
from shallot.testing import connect

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

THREADS = 2
PATIENCE = 10.0
"""Seconds a well-behaved client waits for its answer; a held thread keeps it waiting 60."""


def path_echo(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    data = json.dumps({"path": environ["PATH_INFO"]}).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


@pytest.fixture
def address() -> Iterator[tuple[str, int]]:
    """An :class:`EmbeddedServer` with :data:`THREADS` threads; its host and port."""
    server = EmbeddedServer(path_echo, open_listener("127.0.0.1", 0), threads=THREADS)
    host, port = server.listener.getsockname()[:2]
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=server.serve, args=(stop, ready.set))
    thread.start()
    assert ready.wait(30)
    yield host, port
    stop.set()
    thread.join(30)
    assert not thread.is_alive()


def answered_path(address: tuple[str, int], path: str) -> str:
    """The path a fresh client's GET was answered for, within :data:`PATIENCE` seconds."""
    host, port = address
    with connect(f"http://{host}:{port}/", timeout=PATIENCE) as connection:
        connection.request("GET", path)
        reply = connection.getresponse()
        assert reply.status == 200
        path_seen: str = json.loads(reply.read())["path"]
        return path_seen


def reply_to(sock: socket.socket) -> bytes:
    """One answer's head (and a 200's JSON body) read from ``sock``, within :data:`PATIENCE`
    seconds."""
    sock.settimeout(PATIENCE)
    data = b""
    while b"\r\n\r\n" not in data or (data.startswith(b"HTTP/1.1 200 ") and b"}" not in data):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def clients(address: tuple[str, int], count: int, first_bytes: bytes) -> list[socket.socket]:
    """``count`` connections that sent ``first_bytes`` and then nothing more."""
    opened = []
    for _ in range(count):
        sock = socket.create_connection(address, timeout=PATIENCE)
        if first_bytes:
            sock.sendall(first_bytes)
        opened.append(sock)
    time.sleep(0.2)  # every one of them accepted (and, before the fix, given a thread)
    return opened


@pytest.mark.parametrize(
    "first_bytes",
    [b"", b"GET /never HTTP/1.1\r\n", b"GET /never HTTP/1.1\r\nHost: x\r\nX-Slow: 1", b"\r\n"],
    ids=["nothing", "request line", "half a field", "a blank line"],
)
def test_clients_stuck_before_their_head_ends_keep_no_one_waiting(
    address: tuple[str, int], first_bytes: bytes
) -> None:
    stuck = clients(address, THREADS * 4, first_bytes)
    try:
        assert answered_path(address, "/served") == "/served"
    finally:
        for sock in stuck:
            sock.close()


def test_a_head_trickling_in_a_byte_at_a_time_is_answered_and_holds_no_thread(
    address: tuple[str, int],
) -> None:
    head = b"GET /trickled HTTP/1.1\r\nHost: x\r\nX-Long: " + b"y" * 40 + b"\r\n\r\n"
    tricklers = clients(address, THREADS * 2, b"")
    try:
        for index, byte in enumerate(head[:-1]):
            for sock in tricklers:
                sock.sendall(bytes([byte]))
            if index % 20 == 0:
                time.sleep(0.01)
                assert answered_path(address, f"/meanwhile{index}") == f"/meanwhile{index}"
        for sock in tricklers:
            sock.sendall(head[-1:])
        for sock in tricklers:
            assert b'{"path": "/trickled"}' in reply_to(sock)
    finally:
        for sock in tricklers:
            sock.close()


def test_a_head_split_around_its_blank_line_is_answered(address: tuple[str, int]) -> None:
    """The blank line ending a head can arrive across two packets, at any byte."""
    head = b"\r\nGET /split HTTP/1.1\r\nHost: x\r\n\r\n"  # a blank line before it is allowed
    for cut in range(len(head) - 4, len(head)):
        with socket.create_connection(address, timeout=PATIENCE) as sock:
            sock.sendall(head[:cut])
            time.sleep(0.05)
            sock.sendall(head[cut:])
            assert b'{"path": "/split"}' in reply_to(sock)


def test_a_pipelined_request_cut_short_holds_no_thread(address: tuple[str, int]) -> None:
    """A complete request followed by the start of another: the first is answered, and the
    thread does not stay to wait for the rest of the second."""
    stuck = clients(address, 0, b"")
    try:
        for _ in range(THREADS * 2):
            sock = socket.create_connection(address, timeout=PATIENCE)
            sock.sendall(b"GET /whole HTTP/1.1\r\nHost: x\r\n\r\nGET /cut HTTP/1.1\r\nHos")
            stuck.append(sock)
            assert b'{"path": "/whole"}' in reply_to(sock)
        assert answered_path(address, "/served") == "/served"
        for sock in stuck:
            sock.sendall(b"t: x\r\n\r\n")
            assert b'{"path": "/cut"}' in reply_to(sock)
    finally:
        for sock in stuck:
            sock.close()


def test_a_head_with_bare_line_feeds_is_refused_at_once(address: tuple[str, int]) -> None:
    """Its end is seen (the request reader then refuses the bare LFs) rather than waited for."""
    with socket.create_connection(address, timeout=PATIENCE) as sock:
        sock.sendall(b"GET /lf HTTP/1.1\nHost: x\n\n")
        started = time.monotonic()
        answer = reply_to(sock)
        assert answer.startswith(b"HTTP/1.1 400 ")
        assert time.monotonic() - started < PATIENCE


def test_a_client_leaving_mid_head_is_forgotten(address: tuple[str, int]) -> None:
    for _ in range(THREADS * 4):
        with socket.create_connection(address, timeout=PATIENCE) as sock:
            sock.sendall(b"GET /gone HTTP/1.1\r\nHo")
    assert answered_path(address, "/served") == "/served"


def test_heads_over_the_limit_reach_a_thread_and_are_refused(address: tuple[str, int]) -> None:
    """A head longer than the limits is not gathered for ever: a thread answers it 431."""
    with socket.create_connection(address, timeout=PATIENCE) as sock:
        sock.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n")
        for _ in range(70):
            sock.sendall(b"X-Filler: " + b"z" * 1000 + b"\r\n")
        answer = reply_to(sock)
        assert answer.startswith(b"HTTP/1.1 431 ")
    assert answered_path(address, "/served") == "/served"
