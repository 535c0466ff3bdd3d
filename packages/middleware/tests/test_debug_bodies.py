"""debug_bodies: which bodies are XML, the first bytes logged once, and wsgi.input watched without
changing a single call the application makes."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest

from shallot.middleware.debug_bodies import BodyCapture, WatchedInput, is_xml

if TYPE_CHECKING:
    from collections.abc import Callable


@pytest.mark.parametrize(
    ("content_type", "xml"),
    [
        ("text/xml", True),
        ("application/xml; charset=utf-8", True),
        ("Application/XML", True),
        (" text/xml ;q=1", True),
        ("application/davmount+xml", True),
        ("image/svg+xml", True),
        ("text/plain", False),
        ("application/xml-dtd", False),
        ("", False),
        (None, False),
        (42, False),
    ],
)
def test_is_xml(content_type: object, xml: bool) -> None:
    assert is_xml(content_type) is xml


def capture(limit: int) -> tuple[BodyCapture, list[str]]:
    logged: list[str] = []
    return BodyCapture("body", limit, logged.append), logged


def test_a_whole_body_up_to_the_limit() -> None:
    body, logged = capture(8)
    body.add(b"<a>")
    body.add(b"</a>\n")
    assert logged == []
    body.flush(ended=True)
    body.flush(ended=True)
    assert logged == ["body, 8 bytes:\n    <a></a>"]


def test_logged_once_past_the_limit() -> None:
    body, logged = capture(4)
    body.add(b"<a>")
    body.add(b"</a>")
    assert logged == ["body, first 4 bytes:\n    <a><"]
    body.add(b"more")
    body.flush(ended=True)
    assert len(logged) == 1
    assert body.total == 7


def test_a_body_that_may_go_on_or_was_never_seen() -> None:
    body, logged = capture(100)
    body.add(b"<a>\r\n\x00\xff")
    body.flush(ended=False)
    assert logged == ["body, first 7 bytes:\n    <a>\n    \\x00\\xff"]
    nothing, silent = capture(100)
    nothing.add("not bytes")  # type: ignore[arg-type]  # ignored, as a broken app's would be
    nothing.flush(ended=True)
    assert silent == []


class Stream:
    """An input stream recording the arguments of every call."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.calls: list[tuple[str, tuple[int, ...]]] = []
        self.marker = "passed through"

    def read(self, *size: int) -> bytes:
        self.calls.append(("read", size))
        return self._data.read(*size)

    def readline(self, *size: int) -> bytes:
        self.calls.append(("readline", size))
        return self._data.readline(*size)

    def readlines(self, *hint: int) -> list[bytes]:
        self.calls.append(("readlines", hint))
        return self._data.readlines(*hint)

    def __iter__(self) -> Stream:
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


def watched(data: bytes, length: int | None = None) -> tuple[WatchedInput, Stream, list[str]]:
    stream = Stream(data)
    body, logged = capture(100)
    return WatchedInput(stream, body, length), stream, logged


def test_every_call_reaches_the_stream_as_made() -> None:
    watch, stream, logged = watched(b"<a>\n<b/>\n</a>\n")
    assert watch.readline(0) == b""
    assert watch.read(0) == b""
    assert watch.readline(2) == b"<a"
    assert watch.readlines(1) == [b">\n"]
    assert logged == []
    assert watch.read() == b"<b/>\n</a>\n"
    assert stream.calls == [
        ("readline", (0,)),
        ("read", (0,)),
        ("readline", (2,)),
        ("readlines", (1,)),
        ("read", ()),
    ]
    assert logged == ["body, 14 bytes:\n    <a>\n    <b/>\n    </a>"]
    assert watch.marker == "passed through"  # any other attribute is the stream's


@pytest.mark.parametrize(
    "read_all",
    [
        lambda watch: watch.read(-1),
        lambda watch: watch.read(None),  # as io.BytesIO allows
        lambda watch: watch.readlines(),
        lambda watch: list(watch),
        lambda watch: [watch.read(3) for _ in range(6)],
        lambda watch: [watch.readline() for _ in range(4)],
    ],
)
def test_the_end_of_the_body_is_noticed(read_all: Callable[[WatchedInput], object]) -> None:
    watch, _, logged = watched(b"<a>\n<b/>\n</a>\n")
    read_all(watch)
    assert logged == ["body, 14 bytes:\n    <a>\n    <b/>\n    </a>"]


def test_a_known_length_ends_the_body_without_reading_on() -> None:
    watch, stream, logged = watched(b"<a/>and what the server would block on", length=4)
    assert watch.read(4) == b"<a/>"
    assert logged == ["body, 4 bytes:\n    <a/>"]
    assert stream.calls == [("read", (4,))]
