"""LiveServer serves a WSGI app over a real socket and stops for good."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import TYPE_CHECKING

import pytest

from shallot.testing import LiveServer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


def echo_path(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["PATH_INFO"].encode("latin-1")]


def test_serves_and_stops() -> None:
    with LiveServer(echo_path) as server:
        assert server.url == f"http://127.0.0.1:{server.port}"
        with urllib.request.urlopen(server.url + "/a/b") as response:
            assert response.read() == b"/a/b"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(server.url + "/", timeout=2)


def test_serve_fixture_runs_several_apps(serve: Callable[[WSGIApplication], str]) -> None:
    first, second = serve(echo_path), serve(echo_path)
    assert first != second
    for base in (first, second):
        with urllib.request.urlopen(base + "/x") as response:
            assert response.read() == b"/x"
