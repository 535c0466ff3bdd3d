"""Request bodies: lengths, chunked framing decoded or not, short bodies, limits."""

from __future__ import annotations

import io

import pytest

from shallot.dav import DAVError
from shallot.dav.body import body_chunks, content_length, has_body, read_body


def environ(body: bytes, **extra: object) -> dict[str, object]:
    return {"wsgi.input": io.BytesIO(body), **extra}


def test_content_length_bodies() -> None:
    env = environ(b"hello world and more", CONTENT_LENGTH="11")
    assert list(body_chunks(env, 4)) == [b"hell", b"o wo", b"rld"]
    assert content_length(environ(b"")) is None
    assert not has_body(environ(b"", CONTENT_LENGTH="0"))
    with pytest.raises(DAVError) as raised:
        content_length(environ(b"", CONTENT_LENGTH="-3"))
    assert raised.value.status == 400


def test_short_body_is_a_400() -> None:
    with pytest.raises(DAVError) as raised:
        list(body_chunks(environ(b"half", CONTENT_LENGTH="10")))
    assert raised.value.status == 400


def test_chunked_bodies() -> None:
    framed = b"3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n"
    env = environ(framed, HTTP_TRANSFER_ENCODING="chunked")
    assert has_body(env)
    assert b"".join(body_chunks(env, 4)) == b"abc0123456789"
    decoded = environ(b"abc", HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input_terminated": True})
    assert b"".join(body_chunks(decoded)) == b"abc"


@pytest.mark.parametrize(
    "framed",
    [
        b"3\r\nab",
        b"zz\r\nabc\r\n0\r\n\r\n",
        b"3\r\nabcdef\r\n0\r\n\r\n",
        b"3\r\nabc\r\n",
        b"-1\r\n",
    ],
)
def test_broken_chunked_bodies(framed: bytes) -> None:
    with pytest.raises(DAVError) as raised:
        b"".join(body_chunks(environ(framed, HTTP_TRANSFER_ENCODING="chunked")))
    assert raised.value.status == 400


def test_read_body_limits() -> None:
    assert read_body(environ(b"<x/>", CONTENT_LENGTH="4"), 4) == b"<x/>"
    with pytest.raises(DAVError) as declared:
        read_body(environ(b"<x/>", CONTENT_LENGTH="4"), 3)
    assert declared.value.status == 413
    chunked = environ(b"4\r\n<x/>\r\n0\r\n\r\n", HTTP_TRANSFER_ENCODING="chunked")
    with pytest.raises(DAVError) as streamed:
        read_body(chunked, 3)
    assert streamed.value.status == 413
