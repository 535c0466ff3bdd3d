"""Tests for shallot.http.partial: choosing ranges, multipart/byteranges, PartialResponse."""

from __future__ import annotations

import email.parser
import email.policy
from typing import TYPE_CHECKING

import pytest

from shallot.http.headers import Headers
from shallot.http.partial import Byteranges, PartialResponse, requested_ranges
from shallot.http.ranges import ByteRange, RangeNotSatisfiable, parse_range
from shallot.testing import fetch, route_table

if TYPE_CHECKING:
    from collections.abc import Iterable

    from shallot.testing import Serve

VALIDATORS = Headers([("ETag", '"v1"'), ("Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT")])


def environ(method: str = "GET", **headers: str) -> dict[str, object]:
    """A request environ carrying ``headers`` (given as HTTP_* keys)."""
    return {"REQUEST_METHOD": method, **headers}


def test_no_range_header() -> None:
    assert requested_ranges(environ(), VALIDATORS, 100) is None


def test_range_header() -> None:
    selected = requested_ranges(environ(HTTP_RANGE="bytes=0-9, 50-"), VALIDATORS, 100)
    assert selected == [ByteRange(0, 10), ByteRange(50, 100)]


@pytest.mark.parametrize("header", ["bytes=9-0", "bytes=a-b", "pages=1-2", "bytes", "bytes=,"])
def test_invalid_range_is_ignored(header: str) -> None:
    assert requested_ranges(environ(HTTP_RANGE=header), VALIDATORS, 100) is None


@pytest.mark.parametrize("method", ["HEAD", "POST", "PUT", "PROPFIND"])
def test_range_only_applies_to_get(method: str) -> None:
    assert requested_ranges(environ(method, HTTP_RANGE="bytes=0-1"), VALIDATORS, 100) is None


def test_unsatisfiable() -> None:
    with pytest.raises(RangeNotSatisfiable) as caught:
        requested_ranges(environ(HTTP_RANGE="bytes=100-"), VALIDATORS, 100)
    assert caught.value.content_range == "bytes */100"


@pytest.mark.parametrize(
    ("if_range", "applies"),
    [
        ('"v1"', True),
        ('"v2"', False),
        ('W/"v1"', False),
        ("Sun, 06 Nov 1994 08:49:37 GMT", True),
        ("Sun, 06 Nov 1994 08:49:36 GMT", False),
        ("not a validator", False),
    ],
)
def test_if_range(if_range: str, applies: bool) -> None:
    request = environ(HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE=if_range)
    assert (requested_ranges(request, VALIDATORS, 100) is not None) is applies


def test_if_range_without_validators_never_applies() -> None:
    request = environ(HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE='"v1"')
    assert requested_ranges(request, Headers(), 100) is None


def test_given_ranges_apply_to_any_request() -> None:
    given = parse_range("bytes=-10")
    assert requested_ranges(environ("POST"), Headers(), 100, given) == [ByteRange(90, 100)]
    request = environ(HTTP_RANGE="bytes=0-1", HTTP_IF_RANGE='"other"')
    assert requested_ranges(request, VALIDATORS, 100, given) == [ByteRange(90, 100)]
    with pytest.raises(RangeNotSatisfiable):
        requested_ranges(environ(), Headers(), 0, given)


def test_byteranges_framing() -> None:
    data = bytes(range(50))
    framing = Byteranges((ByteRange(0, 3), ByteRange(10, 12)), 50, "application/octet-stream")
    assert len(framing.boundary) == 32
    assert int(framing.boundary, 16) >= 0
    assert framing.content_type == f"multipart/byteranges; boundary={framing.boundary}"
    assert (
        framing.part_head(ByteRange(0, 3))
        == (
            f"\r\n--{framing.boundary}\r\nContent-Type: application/octet-stream\r\n"
            "Content-Range: bytes 0-2/50\r\n\r\n"
        ).encode()
    )
    assert framing.tail == f"\r\n--{framing.boundary}--\r\n".encode()

    def read(byte_range: ByteRange) -> Iterable[bytes]:
        return [data[byte_range.start : byte_range.stop]]

    body = b"".join(framing.body(read))
    assert framing.content_length == len(body)

    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {framing.content_type}\r\n\r\n".encode() + body
    )
    parts = [
        (str(part["Content-Range"]), part.get_payload(decode=True)) for part in message.iter_parts()
    ]
    assert parts == [("bytes 0-2/50", data[0:3]), ("bytes 10-11/50", data[10:12])]


def test_byteranges_without_part_type_and_fixed_boundary() -> None:
    framing = Byteranges((ByteRange(0, 1), ByteRange(5, 6)), 10, None, "b0undary")
    assert framing.part_head(ByteRange(5, 6)) == (
        b"\r\n--b0undary\r\nContent-Range: bytes 5-5/10\r\n\r\n"
    )
    assert framing.boundary == "b0undary"


def test_byteranges_boundaries_are_random() -> None:
    ranges = (ByteRange(0, 1), ByteRange(2, 3))
    assert Byteranges(ranges, 3, None).boundary != Byteranges(ranges, 3, None).boundary


def test_byteranges_response_headers() -> None:
    framing = Byteranges((ByteRange(0, 1), ByteRange(2, 3)), 3, "text/plain", "b")
    headers = Headers(
        [
            ("Content-Type", "text/plain"),
            ("ETag", '"x"'),
            ("Content-Length", "3"),
            ("Content-Range", "bytes 0-2/3"),
            ("Set-Cookie", "a=1"),
        ]
    )
    assert framing.response_headers(headers) == [
        ("ETag", '"x"'),
        ("Set-Cookie", "a=1"),
        ("Content-Type", "multipart/byteranges; boundary=b"),
        ("Content-Length", str(framing.content_length)),
    ]


def test_partial_response_make_range() -> None:
    response = PartialResponse(b"cde", "text/plain")
    assert response.status_code == 200
    response.make_range(2, 5, 10)
    assert response.status_code == 206
    assert response.headers["Content-Range"] == "bytes 2-4/10"
    response.make_range(2, 5)
    assert response.headers.getall("Content-Range") == ["bytes 2-4/*"]


@pytest.mark.parametrize(
    ("start", "stop", "full_length", "message"),
    [
        (0, 2, 10, "covers 2 bytes, the body holds 3"),
        (5, 5, 10, "not a byte range"),
        (-1, 2, 10, "not a byte range"),
        (8, 11, 10, "runs past a length of 10"),
    ],
)
def test_partial_response_bad_ranges(start: int, stop: int, full_length: int, message: str) -> None:
    response = PartialResponse(b"abc")
    with pytest.raises(ValueError, match=message):
        response.make_range(start, stop, full_length)
    assert response.status_code == 200
    assert "Content-Range" not in response.headers


def test_served_partial_response(serve: Serve) -> None:
    def partial() -> PartialResponse:
        response = PartialResponse("ěšč", "text/plain; charset=utf-8")
        response.make_range(100, 106, 1000)
        return response

    reply = fetch(serve(route_table({"/": partial})))
    assert (reply.status, reply.reason) == (206, "Partial Content")
    assert reply.headers["Content-Range"] == "bytes 100-105/1000"
    assert reply.headers["Content-Length"] == "6"
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert reply.body == "ěšč".encode()


@pytest.mark.parametrize(
    ("ranges", "length", "part_type", "boundary", "message"),
    [
        ((), 10, None, "b", "ranges must be given"),
        ((ByteRange(0, 11),), 10, None, "b", "fit a length of 10"),
        ((ByteRange(0, 1),), 10, None, "", "invalid multipart boundary"),
        ((ByteRange(0, 1),), 10, None, "a" * 71, "invalid multipart boundary"),
        ((ByteRange(0, 1),), 10, None, "a b", "invalid multipart boundary"),
        ((ByteRange(0, 1),), 10, None, "b\r\nX-Injected: 1", "invalid multipart boundary"),
        ((ByteRange(0, 1),), 10, "text/plain\r\nX: 1", "b", "invalid part content type"),
        ((ByteRange(0, 1),), 10, "", "b", "invalid part content type"),
        ((ByteRange(0, 1),), 10, "text/\u20ac", "b", "invalid part content type"),
    ],
)
def test_byteranges_bad_arguments(
    ranges: tuple[ByteRange, ...], length: int, part_type: str | None, boundary: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Byteranges(ranges, length, part_type, boundary)


def test_byteranges_boundary_characters_and_latin1_part_type() -> None:
    boundary = "0aZ'()+_,-./:=?" + "x" * 55
    assert Byteranges((ByteRange(0, 1),), 1, None, boundary).boundary == boundary
    framing = Byteranges((ByteRange(0, 1),), 1, "text/x-caf\u00e9", "b")
    assert b"Content-Type: text/x-caf\xe9\r\n" in framing.part_head(ByteRange(0, 1))
