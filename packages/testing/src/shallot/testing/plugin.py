"""The pytest plugin (entry point ``pytest11``): Shallot's fixtures, available wherever this package
is installed.

- ``serve``: ``serve(app) -> base_url`` runs a WSGI app on a real loopback server for one test.
- ``cheroot_serve``: the same on cheroot (HTTP/1.1, keep-alive, chunked bodies decoded), the server
  the ``shallot`` command runs; needs cheroot installed.
- ``call``: ``call(app, target, method, headers, body, environ) -> Reply`` sends one request to a
  WSGI app in this process (:func:`shallot.testing.call`).
- ``redis_server``: one real ``redis-server`` per test session (skipped, or failed under
  ``SHALLOT_REQUIRE_SERVICES=1``, when it is not installed).
- ``redis``: that server, flushed before the test.
- ``memcached_server``: one real ``memcached`` per test session (skipped, or failed under
  ``SHALLOT_REQUIRE_SERVICES=1``, when it is not installed).
- ``memcached``: that server, flushed before the test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import pytest

from shallot.testing import in_process
from shallot.testing.cheroot_server import CherootServer
from shallot.testing.live_server import LiveServer, Serve
from shallot.testing.memcached_server import MemcachedServer
from shallot.testing.redis_server import RedisServer
from shallot.testing.services import require_service

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from _typeshed.wsgi import WSGIApplication


class _Running(Protocol):
    """A test server serving one app: where, and how to stop it."""

    url: str

    def stop(self) -> None: ...


def _serving(start_server: Callable[[WSGIApplication], _Running]) -> Iterator[Serve]:
    """A ``serve`` function starting a server per app, and every server stopped afterwards."""
    servers: list[_Running] = []

    def start(app: WSGIApplication) -> str:
        server = start_server(app)
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Serve WSGI apps on free loopback ports; each call returns a base URL (no trailing slash)."""
    yield from _serving(LiveServer)


@pytest.fixture
def cheroot_serve() -> Iterator[Serve]:
    """Serve WSGI apps on cheroot on free loopback ports; each call returns a base URL."""
    yield from _serving(CherootServer)


@pytest.fixture
def call() -> in_process.Call:
    """:func:`shallot.testing.call`: one request to a WSGI app in this process, read whole."""
    return in_process.call


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A real redis-server for the whole test session."""
    executable = require_service("redis-server", "apt-get install redis-server")
    with RedisServer(executable) as server:
        yield server


@pytest.fixture
def redis(redis_server: RedisServer) -> RedisServer:
    """The session's redis-server, emptied before this test."""
    redis_server.flush()
    return redis_server


@pytest.fixture(scope="session")
def memcached_server() -> Iterator[MemcachedServer]:
    """A real memcached for the whole test session."""
    executable = require_service("memcached", "apt-get install memcached")
    with MemcachedServer(executable) as server:
        yield server


@pytest.fixture
def memcached(memcached_server: MemcachedServer) -> MemcachedServer:
    """The session's memcached, emptied before this test."""
    memcached_server.flush()
    return memcached_server
