"""gzip_transform: what is compressed, the fields that say so, and streams compressed as streams."""

from __future__ import annotations

import gzip
import threading
import zlib
from typing import TYPE_CHECKING

import pytest

from shallot.caching import accepts_gzip, gzip_transform
from shallot.caching.gzip import compressible
from shallot.http import FileResponse, GeneratorResponse, Request, Response
from shallot.routing import App, response_transforms
from shallot.testing import connect, fetch

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from shallot.http import BaseResponse
    from shallot.routing import RoutedRequest
    from shallot.testing import Call, Serve

TEXT = "text/plain; charset=utf-8"
BODY = ("All work and no play makes Jack a dull boy. " * 50).encode()
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}


def _request(method: str = "GET", **environ: str) -> Request:
    return Request({"REQUEST_METHOD": method, "PATH_INFO": "/", **environ})


@pytest.mark.parametrize(
    ("header", "takes"),
    [
        ("gzip", True),
        ("deflate, gzip;q=0.5", True),
        ("x-gzip", True),
        ("*", True),
        ("GZIP ; q=1.0", True),
        ("", False),
        ("identity", False),
        ("br, deflate", False),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("*;q=0", False),
        ("gzip;q=0, *", False),  # named codings win over the wildcard
        ("*;q=0, gzip", True),
        ("gzip;q=bad", False),
    ],
)
def test_accepts_gzip(header: str, takes: bool) -> None:
    assert accepts_gzip(header) is takes


@pytest.mark.parametrize(
    ("content_type", "worth_it"),
    [
        ("text/html; charset=utf-8", True),
        ("application/json", True),
        ("application/problem+json", True),
        ("image/svg+xml", True),
        ("text/javascript", True),
        ("application/javascript", True),
        ("image/png", False),
        ("application/octet-stream", False),
        (None, False),
        ("", False),
    ],
)
def test_compressible(content_type: str | None, worth_it: bool) -> None:
    assert compressible(content_type) is worth_it


def test_in_memory_answer_is_compressed_once(call: Call) -> None:
    original = Response(BODY, TEXT, headers={"Vary": "Cookie", "ETag": '"v1"'})
    compressed = gzip_transform()(_request(**GZIP), original)
    assert isinstance(compressed, Response)
    assert gzip.decompress(compressed.data) == BODY
    reply = call(compressed, "/")
    assert reply.headers["Content-Encoding"] == "gzip"
    assert reply.headers["Vary"] == "Cookie, Accept-Encoding"
    assert reply.headers["ETag"] == '"v1-gzip"'
    assert reply.headers["Content-Type"] == TEXT
    assert int(reply.headers["Content-Length"]) == len(compressed.data) < len(BODY)
    again = gzip_transform()(_request(**GZIP), Response(BODY, TEXT))
    assert isinstance(again, Response)
    assert again.data == compressed.data  # same bytes each time: no timestamp in the header


def test_levels_trade_size_for_time() -> None:
    fast = gzip_transform(compress_level=1)(_request(**GZIP), Response(BODY, TEXT))
    small = gzip_transform(compress_level=9)(_request(**GZIP), Response(BODY, TEXT))
    assert isinstance(fast, Response)
    assert isinstance(small, Response)
    assert gzip.decompress(fast.data) == gzip.decompress(small.data) == BODY


def test_weak_tags_stay() -> None:
    original = Response(BODY, TEXT, headers={"ETag": 'W/"v1"'})
    assert gzip_transform()(_request(**GZIP), original).headers["ETag"] == 'W/"v1"'


@pytest.mark.parametrize(
    ("response", "environ"),
    [
        (Response(BODY[:1023], TEXT), GZIP),  # shorter than min_length
        (Response(BODY, "image/png"), GZIP),  # not text
        (Response(BODY, TEXT, status_code=404), GZIP),  # not a 200
        (Response(BODY, TEXT, headers={"Content-Encoding": "br"}), GZIP),  # already encoded
        (Response(BODY, TEXT), {"HTTP_ACCEPT_ENCODING": "br"}),  # the client does not take it
        (Response(BODY, TEXT), {}),
    ],
)
def test_left_alone(response: Response, environ: dict[str, str]) -> None:
    assert gzip_transform()(_request(**environ), response) is response
    assert "Vary" not in response.headers


def test_min_length() -> None:
    transform = gzip_transform(min_length=10)
    assert (
        transform(_request(**GZIP), Response(b"123456789", TEXT)).headers.get("Content-Encoding")
        is None
    )
    assert (
        transform(_request(**GZIP), Response(b"1234567890", TEXT)).headers["Content-Encoding"]
        == "gzip"
    )


def test_vary_also_marks_identity_answers() -> None:
    response = Response(BODY, TEXT, headers={"Vary": "Cookie"})
    assert gzip_transform(vary=True)(_request(), response) is response
    assert response.headers["Vary"] == "Cookie, Accept-Encoding"


def test_ranges_apply_to_the_compressed_body(call: Call) -> None:
    original = Response(BODY, TEXT)
    original.make_partial()
    compressed = gzip_transform()(_request(**GZIP), original)
    assert isinstance(compressed, Response)
    reply = call(compressed, "/", headers={"Range": "bytes=0-9"})
    assert (reply.status, reply.body) == (206, compressed.data[:10])


def test_parameters_are_checked() -> None:
    for level in (0, 10, 5.0):
        with pytest.raises(ValueError, match="compress_level"):
            gzip_transform(compress_level=level)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="min_length"):
        gzip_transform(min_length=-1)


class Chunks:
    """A streamed body that records being closed, optionally waiting between its two parts."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.gate = gate
        self.closed = False
        self.waited: bool | None = None

    def __iter__(self) -> Iterator[bytes]:
        yield b"first part " * 20
        if self.gate is not None:
            self.waited = self.gate.wait(timeout=20)
        yield b"second part " * 20

    def close(self) -> None:
        self.closed = True


def test_streams_are_compressed_chunk_by_chunk(serve: Serve) -> None:
    gate = threading.Event()
    chunks = Chunks(gate)
    app = App()

    @app.route("/stream")
    @response_transforms(gzip_transform(min_length=100))
    def stream(request: RoutedRequest) -> BaseResponse:
        return GeneratorResponse(chunks, TEXT)

    base = serve(app)
    with connect(base) as connection:
        connection.request("GET", "/stream", headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        assert response.getheader("Content-Encoding") == "gzip"
        assert response.getheader("Content-Length") is None
        decompressor = zlib.decompressobj(31)
        text = b""
        while b"first part " * 20 not in text:
            piece = response.read1(65536)
            assert piece, "the stream ended before its first chunk could be decoded"
            text += decompressor.decompress(piece)
        gate.set()  # only now may the second part be produced
        text += decompressor.decompress(response.read()) + decompressor.flush()
    assert text == b"first part " * 20 + b"second part " * 20
    assert chunks.waited is True
    assert chunks.closed


def test_streams_for_other_clients_and_head(call: Call) -> None:
    transform = gzip_transform(min_length=10)
    plain_chunks = Chunks()
    plain = GeneratorResponse(plain_chunks, TEXT)
    assert transform(_request(), plain) is plain
    short = GeneratorResponse(Chunks(), TEXT, headers={"Content-Length": "5"})
    assert transform(_request(**GZIP), short) is short
    head_chunks = Chunks()
    head = transform(_request("HEAD", **GZIP), GeneratorResponse(head_chunks, TEXT))
    reply = call(head, "/", "HEAD")
    assert (reply.headers["Content-Encoding"], reply.body) == ("gzip", b"")
    assert head_chunks.closed


def test_a_file_answering_a_range_is_passed_on_as_it_came(tmp_path: Path, call: Call) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(BODY)
    environ = {**GZIP, "HTTP_RANGE": "bytes=0-4"}
    answer = gzip_transform()(_request(**environ), FileResponse(path, TEXT))
    reply = call(answer, "/", headers={"Range": "bytes=0-4", "Accept-Encoding": "gzip"})
    assert (reply.status, reply.body, reply.headers["Content-Encoding"]) == (206, BODY[:5], None)
    whole = gzip_transform()(_request(**GZIP), FileResponse(path, TEXT))
    full = call(whole, "/", headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(full.body) == BODY
    assert full.headers["ETag"].endswith('-gzip"')


def test_with_the_routing_decorator_over_a_real_server(serve: Serve) -> None:
    app = App()

    @app.route("/page")
    @response_transforms(gzip_transform(vary=True))
    def page(request: RoutedRequest) -> Response:
        return Response(BODY, TEXT)

    base = serve(app)
    compressed = fetch(base, "/page", headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(compressed.body) == BODY
    assert compressed.headers["Content-Length"] == str(len(compressed.body))
    identity = fetch(base, "/page")
    assert (identity.body, identity.headers["Vary"]) == (BODY, "Accept-Encoding")
