"""The embedded server's socket files: C buffered reads that can tell whether a read would wait,
and writes that send a held response head with the first piece of body."""

from __future__ import annotations

import socket
import struct
import threading
import time
from typing import TYPE_CHECKING

import pytest

from shallot.server.socket_files import HeadScan, SocketReader, SocketWriter, socket_file

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


HEAD = b"GET /x HTTP/1.1\r\nHost: example\r\nX-Thing: 1\r\n\r\n"


def ready_at(head: bytes, line_limit: int = 100, fields_limit: int = 100) -> int | None:
    """The number of bytes of ``head``, fed one at a time, after which the scan is ready."""
    scan, data = HeadScan(line_limit, fields_limit), bytearray()
    for byte in head:
        data.append(byte)
        if scan.ready(data):
            return len(data)
    return None


@pytest.mark.parametrize(
    ("head", "ready_after"),
    [
        (HEAD, len(HEAD)),
        (b"\r\n\r\n" + HEAD, len(HEAD) + 4),  # blank lines before the request line
        (b"GET / HTTP/1.0\r\n\r\n", 18),  # no header fields
        (b"GET / HTTP/1.1\nHost: x\n\n", 24),  # bare LFs end it too (the reader refuses them)
        (b"GET / HTTP/1.1\r\nHost: x\r\n", None),
        (b"\r\n\r\n\r\n", None),
    ],
)
def test_a_head_scan_is_ready_at_the_blank_line_ending_the_head(
    head: bytes, ready_after: int | None
) -> None:
    assert ready_at(head) == ready_after
    assert HeadScan(100, 100).ready(head) is (ready_after is not None)


def test_a_head_scan_is_ready_once_a_limit_is_broken() -> None:
    # 101 bytes with no end of line in sight; header fields (after the request line's LF at
    # offset 15) over 100 bytes
    assert ready_at(b"GET /" + b"a" * 200, line_limit=100) == 101
    assert ready_at(b"GET /" + b"a" * 200 + b" HTTP/1.1\r\n", line_limit=300) is None
    assert ready_at(b"GET / HTTP/1.1\r\n" + b"X: " + b"b" * 200, fields_limit=100) == 15 + 101
    long_line = b"GET /" + b"a" * 120 + b" HTTP/1.1\r\n"
    assert HeadScan(100, 100).ready(long_line)


def test_a_head_arrives_when_its_blank_line_does(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    reader = SocketReader(ours)
    assert not reader.head_arrived(100, 100)
    for piece in (HEAD[:5], HEAD[5:-3], HEAD[-3:-1]):
        theirs.sendall(piece)
        time.sleep(0.05)
        assert not reader.head_arrived(100, 100)
    theirs.sendall(HEAD[-1:] + b"body")
    deadline = time.monotonic() + 5
    while not reader.head_arrived(100, 100):
        assert time.monotonic() < deadline
    assert reader.readline() == b"GET /x HTTP/1.1\r\n"  # bytes gathered early come first
    assert reader.read(len(HEAD) - 17 + 4) == HEAD[17:] + b"body"
    assert ours.gettimeout() == 30


def test_a_pipelined_head_in_the_buffer_counts(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    reader = SocketReader(ours)
    theirs.sendall(HEAD + HEAD[:10])
    assert reader.readline() == b"GET /x HTTP/1.1\r\n"
    assert reader.read(len(HEAD) - 17) == HEAD[17:]
    assert not reader.head_arrived(100, 100)  # the start of the next one, in the buffer
    theirs.sendall(HEAD[10:])
    deadline = time.monotonic() + 5
    while not reader.head_arrived(100, 100):
        assert time.monotonic() < deadline
    assert reader.read(len(HEAD)) == HEAD


def test_a_head_arrives_when_the_peer_leaves(pair: tuple[socket.socket, socket.socket]) -> None:
    ours, theirs = pair
    reader = SocketReader(ours)
    theirs.sendall(HEAD[:10])
    theirs.close()
    deadline = time.monotonic() + 5
    while not reader.head_arrived(100, 100):
        assert time.monotonic() < deadline
    assert reader.read(100) == HEAD[:10]
    assert reader.read(100) == b""


def test_a_blocking_socket_is_left_to_the_reading_thread() -> None:
    """Without a timeout nothing can be taken without waiting, so the head counts as here (the
    thread reading it waits, as with cheroot's own reader)."""
    ours, theirs = socket.socketpair()
    with ours, theirs:
        reader = SocketReader(ours)
        assert reader.head_arrived(100, 100)
        assert not reader.has_data()
        theirs.sendall(HEAD)
        assert reader.readline() == b"GET /x HTTP/1.1\r\n"
