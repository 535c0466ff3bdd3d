"""Fixtures of the server tests: an application served by the embedded server on loopback."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from shallot.server.embedded import EmbeddedServer
from shallot.server.listener import base_url, open_listener

if TYPE_CHECKING:
    from collections.abc import Iterator

    from _typeshed.wsgi import WSGIApplication

Address = tuple[str, int]
Serve = Callable[["WSGIApplication"], Address]


@pytest.fixture
def serve_embedded() -> Iterator[Serve]:
    """Serves an application on an :class:`EmbeddedServer` (two threads) and gives its host and
    port; every server is stopped after the test."""
    running: list[tuple[threading.Event, threading.Thread]] = []

    def start(app: WSGIApplication) -> Address:
        server = EmbeddedServer(app, open_listener("127.0.0.1", 0), threads=2)
        url = urlsplit(base_url(server.listener))
        stop, ready = threading.Event(), threading.Event()
        thread = threading.Thread(target=server.serve, args=(stop, ready.set))
        thread.start()
        running.append((stop, thread))
        assert ready.wait(30)
        return url.hostname or "", url.port or 80

    yield start
    for stop, thread in running:
        stop.set()
        thread.join(30)
        assert not thread.is_alive()
