"""The embedded server's socket files: C buffered reads that can tell whether a read would wait,
and writes that send a held response head with the first piece of body."""

from __future__ import annotations

import socket
import struct
import threading
import time
from typing import TYPE_CHECKING

import pytest

from shallot.server.socket_files import SocketReader, SocketWriter, socket_file

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """Two connected sockets; the first (the server's end) waits up to 30 s on reads."""
    ours, theirs = socket.socketpair()
    ours.settimeout(30)
    theirs.settimeout(5)
    yield ours, theirs
    ours.close()
    theirs.close()


def received(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return bytes(data)


def nothing_waiting(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        sock.recv(1)
    except BlockingIOError:
        return True
    finally:
        sock.settimeout(5)
    return False


def test_socket_file_makes_a_reader_or_a_writer(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, _ = pair
    assert isinstance(socket_file(ours, "rb", 8192), SocketReader)
    assert isinstance(socket_file(ours, "wb", 8192), SocketWriter)


def test_has_data_is_false_at_once_on_an_idle_connection(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, _ = pair
    reader = SocketReader(ours)
    started = time.monotonic()
    assert not reader.has_data()
    assert time.monotonic() - started < 1
    assert ours.gettimeout() == 30


def test_has_data_sees_bytes_waiting_on_the_socket(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, theirs = pair
    reader = SocketReader(ours)
    theirs.sendall(b"GET / HTTP/1.1\r\n")
    deadline = time.monotonic() + 5
    while not reader.has_data():
        assert time.monotonic() < deadline
    assert reader.readline() == b"GET / HTTP/1.1\r\n"
    assert ours.gettimeout() == 30


def test_has_data_sees_bytes_already_buffered(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    reader = SocketReader(ours)
    theirs.sendall(b"first\r\nsecond\r\n")
    assert reader.readline() == b"first\r\n"
    assert nothing_waiting(ours)  # the second line is in the reader's buffer, not the socket's
    assert reader.has_data()
    assert reader.readline() == b"second\r\n"
    assert not reader.has_data()


def test_has_data_is_false_when_the_peer_has_left(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, theirs = pair
    reader = SocketReader(ours)
    theirs.close()
    assert not reader.has_data()
    assert reader.readline() == b""


def test_reads_wait_for_the_peer_as_before(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    reader = SocketReader(ours)
    assert not reader.has_data()
    threading.Timer(0.2, theirs.sendall, (b"late line\r\nbody",)).start()
    assert reader.readline(64) == b"late line\r\n"
    assert reader.read(4) == b"body"


def test_writes_go_out_whole_at_once(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    writer = SocketWriter(ours)
    assert writer.write(b"HTTP/1.1 204 No Content\r\n\r\n") == 27
    assert received(theirs, 27) == b"HTTP/1.1 204 No Content\r\n\r\n"
    writer.flush()
    writer.close()
    assert writer.closed


def test_a_held_head_leaves_with_the_first_body_piece(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    ours, theirs = pair
    writer = SocketWriter(ours)
    writer.hold_next()
    assert writer.write(b"head\r\n\r\n") == 8
    assert nothing_waiting(theirs)
    assert writer.write(b"body") == 4
    assert received(theirs, 12) == b"head\r\n\r\nbody"
    assert writer.write(b"more") == 4  # holding ended with the pair
    assert received(theirs, 4) == b"more"
    writer.release()
    assert nothing_waiting(theirs)


def test_release_sends_a_head_that_has_no_body(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    writer = SocketWriter(ours)
    writer.hold_next()
    writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
    assert nothing_waiting(theirs)
    writer.release()
    assert received(theirs, 27) == b"HTTP/1.1 204 No Content\r\n\r\n"
    writer.write(b"next")
    assert received(theirs, 4) == b"next"


def test_a_big_body_after_a_held_head_arrives_whole(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    """More than the socket buffers take in one send: the rest is sent until all is out."""
    ours, theirs = pair
    body = bytes(range(256)) * (16 * 1024)  # 4 MiB
    arrived: list[bytes] = []
    reader = threading.Thread(target=lambda: arrived.append(received(theirs, 8 + len(body))))
    reader.start()
    writer = SocketWriter(ours)
    writer.hold_next()
    writer.write(b"head\r\n\r\n")
    writer.write(body)
    reader.join(30)
    assert arrived == [b"head\r\n\r\n" + body]


def test_has_data_is_true_on_a_reset_connection_so_the_reader_ends_it() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    with listener, socket.create_connection(listener.getsockname()) as client:
        ours, _ = listener.accept()
        with ours:
            ours.settimeout(30)
            reader = SocketReader(ours)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()  # an RST, not a FIN
            deadline = time.monotonic() + 5
            while not reader.has_data():
                assert time.monotonic() < deadline
            assert reader.readline() == b""  # the reset was reported once, to the peek
            assert ours.gettimeout() == 30


def test_a_closed_reader_has_no_data(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    reader = SocketReader(ours)
    theirs.sendall(b"unread")
    reader.close()
    assert not reader.has_data()
