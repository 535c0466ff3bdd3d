"""Shared fixtures: calling an App in-process behind wsgiref's validator, answering like ``fetch``.

Tests that must cross a socket use shallot-testing's ``serve`` fixture and ``fetch`` client. The
``call`` fixture here gives the same :class:`~shallot.testing.Reply` for an in-process call, with
the headers exactly as the App handed them to ``start_response`` (a server adds its own), so
most behaviour is tested quickly and without threads, and the rest over a real socket.
"""

from __future__ import annotations

import http.client
import io
import sys
import threading
from typing import TYPE_CHECKING
from urllib.parse import unquote
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest

from shallot.testing import Reply

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment


def make_environ(
    target: str = "/",
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
    environ: Mapping[str, object] | None = None,
) -> WSGIEnvironment:
    """The environ a server builds for ``method target``: the path percent-decoded and carried
    as Latin-1 (as WSGI does), ``headers`` as ``HTTP_*`` (``Content-Type`` and
    ``Content-Length`` as CGI names), then ``environ`` applied over it."""
    path, _, query = target.partition("?")
    built: WSGIEnvironment = {
        "REQUEST_METHOD": method,
        "PATH_INFO": unquote(path, "latin-1"),
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
    }
    if body:
        built["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        built[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = value
    built.update(environ or {})
    setup_testing_defaults(built)
    return built


def call_app(
    app: WSGIApplication,
    target: str = "/",
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
    environ: Mapping[str, object] | None = None,
) -> Reply:
    """Call ``app`` in-process behind wsgiref's validator; the answer as :func:`fetch` gives it."""
    seen: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(
        status: str, pairs: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        seen.append((status, list(pairs)))
        return lambda data: None

    result = validator(app)(make_environ(target, method, headers, body, environ), start_response)
    try:
        content = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, pairs = seen[-1]
    message = http.client.HTTPMessage()
    for name, value in pairs:
        message[name] = value
    code, _, reason = status.partition(" ")
    return Reply(int(code), reason, message, content)


@pytest.fixture
def call() -> Callable[..., Reply]:
    """``call(app, target="/", method="GET", headers=None, body=b"", environ=None)``."""
    return call_app


class RecordingBody:
    """A legacy WSGI app's answer that counts the calls of its ``close()`` and signals the first,
    so a test can wait for the server to close it and then check it was closed exactly once."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self.closes = 0
        self.closed = threading.Event()

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._chunks)

    def close(self) -> None:
        self.closes += 1
        self.closed.set()


@pytest.fixture
def recording() -> type[RecordingBody]:
    """:class:`RecordingBody`, for tests (which cannot import a conftest at run time)."""
    return RecordingBody
