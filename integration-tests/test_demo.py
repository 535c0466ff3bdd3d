"""The shallot.http demo app (``hatch run demo``) served by a real server in its own process."""

from __future__ import annotations

import json
import signal
import urllib.error
import urllib.request
from http.client import HTTPConnection
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from servers import ROOT, ServerProcess

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def connection(demo_server: ServerProcess) -> Iterator[HTTPConnection]:
    """A keep-alive connection to the demo server, closed after the test."""
    parts = urlsplit(demo_server.url)
    assert parts.hostname is not None
    connection = HTTPConnection(parts.hostname, parts.port, timeout=10)
    yield connection
    connection.close()


def test_index_and_text(demo_server: ServerProcess) -> None:
    with urllib.request.urlopen(demo_server.url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert b"Shallot demo" in response.read()
    with urllib.request.urlopen(demo_server.url + "hello?name=Ond%C5%99ej") as response:
        assert response.read().decode() == "Hello, Ond\u0159ej!\n"


def test_json_echo_and_bad_json(connection: HTTPConnection) -> None:
    body = json.dumps({"a": [1, 2]}).encode()
    connection.request("POST", "/echo", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 200
    assert json.loads(response.read()) == {"you_sent": {"a": [1, 2]}}
    connection.request("POST", "/echo", b"{not json", {"Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 400
    assert b"JSON" in response.read()
    connection.request("GET", "/echo")
    response = connection.getresponse()
    response.read()
    assert response.status == 405
    assert response.getheader("Allow") == "POST"


def test_source_ranges_and_conditional(connection: HTTPConnection) -> None:
    source = (ROOT / "tools" / "demo.py").read_bytes()
    connection.request("GET", "/source", headers={"Range": "bytes=0-9"})
    response = connection.getresponse()
    assert response.status == 206
    assert response.read() == source[:10]
    assert response.getheader("Content-Range") == f"bytes 0-9/{len(source)}"
    etag = response.getheader("ETag")
    assert etag is not None
    connection.request("GET", "/source", headers={"If-None-Match": etag})
    response = connection.getresponse()
    assert response.status == 304
    assert response.read() == b""
    connection.request("GET", "/source", headers={"Range": f"bytes={len(source)}-"})
    response = connection.getresponse()
    response.read()
    assert response.status == 416


def test_streamed_numbers_and_errors(demo_server: ServerProcess) -> None:
    with urllib.request.urlopen(demo_server.url + "numbers?n=5") as response:
        assert json.loads(response.read()) == [1, 2, 3, 4, 5]
    for path, status in [("numbers?n=x", 400), ("numbers?n=-1", 400), ("nowhere", 404)]:
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(demo_server.url + path)
        assert raised.value.code == status, path
        raised.value.close()


def test_stops_cleanly_on_sigterm(demo_server: ServerProcess) -> None:
    demo_server.process.send_signal(signal.SIGTERM)
    assert demo_server.process.wait(timeout=10) == 0
