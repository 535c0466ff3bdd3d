"""Shared fixtures: the three backends (for the contract tests), and calling WSGI apps in-process.

``backend`` runs a test over :class:`MemoryCache`, :class:`RedisCache` on the real redis fixture,
and :class:`MemcachedCache` on the real memcached fixture. ``call`` sends one request to an app in
process, behind wsgiref's validator, and returns what the app answered as a
:class:`~shallot.testing.Reply`, like ``fetch`` does over a socket.
"""

from __future__ import annotations

import http.client
import io
import sys
from typing import TYPE_CHECKING
from wsgiref.validate import validator

import pytest

from shallot.caching import MemcachedCache, MemoryCache, RedisCache
from shallot.testing import Reply

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

    from shallot.caching import Cache
    from shallot.testing import MemcachedServer, RedisServer


def make_environ(
    target: str = "/",
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> WSGIEnvironment:
    """The environ of ``method target`` with request ``headers`` and ``body``."""
    path, _, query = target.partition("?")
    environ: WSGIEnvironment = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body:
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    return environ


def call_app(
    app: WSGIApplication,
    target: str = "/",
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> Reply:
    """Send one request to ``app`` behind wsgiref's validator; the answer as ``fetch`` gives it
    (but with the fields exactly as the app gave them), body read and closed."""
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(
        status: str, fields: list[tuple[str, str]], exc_info: object = None
    ) -> Callable[[bytes], object]:
        started.append((status, list(fields)))
        return lambda data: None

    result = validator(app)(make_environ(target, method, headers, body), start_response)
    try:
        content = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, fields = started[-1]
    message = http.client.HTTPMessage()
    for name, value in fields:
        message[name] = value
    code, _, reason = status.partition(" ")
    return Reply(int(code), reason, message, content)


@pytest.fixture
def call() -> Callable[..., Reply]:
    """``call(app, target="/", method="GET", headers=None, body=b"")``: see :func:`call_app`."""
    return call_app


@pytest.fixture(params=["memory", "redis", "memcached"])
def backend(request: pytest.FixtureRequest) -> Iterator[Cache]:
    """Each backend in turn, empty: memory, then the real Redis, then the real memcached."""
    if request.param == "memory":
        yield MemoryCache()
    elif request.param == "redis":
        server: RedisServer = request.getfixturevalue("redis")
        cache = RedisCache(server.url)
        yield cache
        cache.close()
    else:
        memcached: MemcachedServer = request.getfixturevalue("memcached")
        client = MemcachedCache(memcached.address)
        yield client
        client.close()
