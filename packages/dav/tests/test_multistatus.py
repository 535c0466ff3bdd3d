"""The streamed 207: chunks, the first part made before the status, closing the source."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import pytest

from shallot.dav import DAVError
from shallot.dav.multistatus import (
    CHUNK_SIZE,
    MultistatusResponse,
    propstat,
    response_element,
    status_element,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from packages.dav.tests.conftest import Result


def test_pieces() -> None:
    assert status_element(423) == "<D:status>HTTP/1.1 423 Locked</D:status>"
    assert response_element("/a", 404).startswith("<D:response><D:href>/a</D:href>")
    assert "<D:prop><D:x/></D:prop>" in propstat("<D:x/>", 200)


def test_the_body_streams_in_chunks_and_closes_its_source() -> None:
    made: list[int] = []
    closed: list[bool] = []

    def parts() -> Iterator[str]:
        try:
            for index in range(5000):
                made.append(index)
                yield response_element(f"/file{index}", 200)
        finally:
            closed.append(True)

    started: list[str] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], object]:
        started.append(status)
        return lambda data: None

    body = MultistatusResponse(parts())({"REQUEST_METHOD": "PROPFIND"}, start_response)
    assert started == ["207 Multi-Status"]
    chunks = iter(body)
    first = next(chunks)
    assert len(made) < 5000
    assert len(first) >= CHUNK_SIZE
    rest = b"".join(chunks)
    close = getattr(body, "close", None)
    assert callable(close)
    close()
    assert closed == [True]
    root = ET.fromstring(first + rest)
    assert len(root) == 5000


def test_an_error_in_the_first_part_comes_before_the_status(
    send: Callable[..., Result],
) -> None:
    def parts() -> Iterator[str]:
        raise DAVError(404)
        yield ""

    with pytest.raises(DAVError):
        MultistatusResponse(parts())({"REQUEST_METHOD": "PROPFIND"}, lambda *args: None)  # type: ignore[arg-type]


def test_head_sends_no_body(send: Callable[..., Result]) -> None:
    result = send(MultistatusResponse(["<D:response/>"]), "HEAD")
    assert (result.status, result.body) == (207, b"")
