"""Tests for shallot.http.streaming: GeneratorResponse and StrGeneratorResponse, served for real."""

from __future__ import annotations

import http.client
import socket
import threading
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from shallot.http.streaming import GeneratorResponse, StrGeneratorResponse, close_iterable
from shallot.testing import connect, fetch, route_table

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from shallot.testing import Serve


class Source:
    """An iterable of byte pieces that records being closed."""

    def __init__(self, pieces: Iterable[bytes] = ()) -> None:
        self.pieces = pieces
        self.closed = threading.Event()

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.pieces)

    def close(self) -> None:
        self.closed.set()


def test_generator_is_streamed_and_closed(serve: Serve) -> None:
    finished = threading.Event()

    def pieces() -> Iterator[bytes]:
        try:
            yield b"one,"
            yield b""
            yield b"two"
        finally:
            finished.set()

    sent: dict[str, list[tuple[str, str]]] = {}
    base = serve(route_table({"/": lambda: GeneratorResponse(pieces(), "text/plain")}, sent))
    reply = fetch(base)
    assert (reply.status, reply.reason, reply.body) == (200, "OK", b"one,two")
    assert reply.headers["Content-Type"] == "text/plain"
    assert sent["/"] == [("Content-Type", "text/plain")]
    assert finished.wait(5)


def test_given_content_length_is_sent(serve: Serve) -> None:
    def response() -> GeneratorResponse:
        return GeneratorResponse([b"abc", b"de"], headers={"Content-Length": "5"}, status_code=201)

    base = serve(route_table({"/": response}))
    reply = fetch(base)
    assert (reply.status, reply.reason) == (201, "Created")
    assert reply.headers.get_all("Content-Length") == ["5"]
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"
    assert reply.body == b"abcde"


def test_source_closed_without_a_body(serve: Serve) -> None:
    sources: dict[str, Source] = {}

    def make(path: str, status: int) -> Callable[[], GeneratorResponse]:
        def build() -> GeneratorResponse:
            sources[path] = Source([b"never sent"])
            return GeneratorResponse(sources[path], "text/plain", status_code=status)

        return build

    sent: dict[str, list[tuple[str, str]]] = {}
    base = serve(route_table({"/ok": make("/ok", 200), "/204": make("/204", 204)}, sent))
    reply = fetch(base, "/ok", "HEAD")
    assert (reply.status, reply.body) == (200, b"")
    assert reply.headers["Content-Type"] == "text/plain"
    assert sources["/ok"].closed.is_set()

    reply = fetch(base, "/204")
    assert (reply.status, reply.body) == (204, b"")
    assert sent["/204"] == []
    assert sources["/204"].closed.is_set()


def test_source_closed_when_the_client_goes_away(serve: Serve) -> None:
    closed = threading.Event()
    produced: list[int] = []

    def endless() -> Iterator[bytes]:
        try:
            while True:
                produced.append(1)
                yield b"x" * 65536
        finally:
            closed.set()

    base = serve(
        lambda environ, start_response: GeneratorResponse(endless())(environ, start_response)
    )
    url = urlsplit(base)
    with socket.create_connection((url.hostname or "", url.port or 80), timeout=10) as client:
        client.sendall(b"GET / HTTP/1.0\r\n\r\n")
        assert client.recv(1024).startswith(b"HTTP/1.0 200 OK")
    assert closed.wait(10)
    assert len(produced) > 0


def test_generator_failing_mid_stream_cuts_the_body(serve: Serve) -> None:
    closed = threading.Event()

    def failing() -> Iterator[bytes]:
        try:
            yield b"first"
            raise RuntimeError("broken source")
        finally:
            closed.set()

    def response() -> GeneratorResponse:
        return GeneratorResponse(failing(), "text/plain", headers={"Content-Length": "100"})

    with connect(serve(route_table({"/": response}))) as connection:
        connection.request("GET", "/")
        reply = connection.getresponse()
        assert reply.status == 200
        with pytest.raises(http.client.IncompleteRead) as error:
            reply.read()
        assert error.value.partial == b"first"
    assert closed.wait(5)


def test_str_generator_is_encoded_lazily(serve: Serve) -> None:
    seen: list[str] = []

    def pieces() -> Iterator[str]:
        for piece in ("ça", " ", "va"):
            seen.append(piece)
            yield piece

    response = StrGeneratorResponse(pieces(), "text/plain; charset=latin-1")
    assert seen == []
    base = serve(route_table({"/": lambda: response}))
    reply = fetch(base)
    assert reply.body == b"\xe7a va"
    assert reply.headers["Content-Type"] == "text/plain; charset=latin-1"
    assert seen == ["ça", " ", "va"]


def test_str_generator_defaults_to_utf8_and_closes_its_source(serve: Serve) -> None:
    closed = threading.Event()

    def pieces() -> Iterator[str]:
        try:
            yield "žluť"
        finally:
            closed.set()

    base = serve(route_table({"/": lambda: StrGeneratorResponse(pieces(), "text/plain")}))
    assert fetch(base).body == "žluť".encode()
    assert closed.wait(5)


def test_str_generator_unencodable_piece_cuts_the_body(serve: Serve) -> None:
    def response() -> StrGeneratorResponse:
        return StrGeneratorResponse(
            ["ok", "\u20ac"], "text/plain; charset=latin-1", {"Content-Length": "10"}
        )

    with connect(serve(route_table({"/": response}))) as connection:
        connection.request("GET", "/")
        with pytest.raises(http.client.IncompleteRead) as error:
            connection.getresponse().read()
        assert error.value.partial == b"ok"


def test_str_generator_unknown_charset() -> None:
    with pytest.raises(ValueError, match="unknown charset"):
        StrGeneratorResponse(["x"], "text/plain; charset=nonsense")


def test_bad_status_code() -> None:
    with pytest.raises(ValueError, match="not an HTTP status code"):
        GeneratorResponse([b"x"], status_code=700)


def test_close_iterable_closes_what_can_be_closed() -> None:
    closed: list[str] = []

    class Body:
        def __iter__(self) -> Iterator[bytes]:
            return iter([b"x"])

        def close(self) -> None:
            closed.append("body")

    close_iterable(Body())
    close_iterable([b"no close"])
    close_iterable(iter([b"no close either"]))
    assert closed == ["body"]
