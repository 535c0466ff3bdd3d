"""Shared fixtures: cheroot servers on loopback (for the proxy and its upstreams) and an
in-process caller for middleware that needs no socket to be tested."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, NamedTuple, Protocol
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

RawUpstream = Callable[[bytes], str]


class Answer(NamedTuple):
    """What an app answered in process: status code, headers (as a list), body."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        """The last value of ``name`` (any case), or ``None``."""
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return values[-1] if values else None


class Send(Protocol):
    """The type of the ``send`` fixture."""

    def __call__(
        self,
        app: WSGIApplication,
        path: str = "/",
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        *,
        environ: Mapping[str, object] | None = None,
        **extra: str,
    ) -> Answer:
        """Call ``app`` in process with a request for ``path`` and read the whole answer;
        ``environ`` and ``extra`` are added to the environ."""


def environ_for(
    path: str = "/",
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    **extra: object,
) -> WSGIEnvironment:
    """A WSGI environ for ``path`` (a WSGI string) with ``headers`` as ``HTTP_*`` keys."""
    environ: WSGIEnvironment = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": ""}
    environ["SCRIPT_NAME"] = ""
    setup_testing_defaults(environ)
    environ["PATH_INFO"] = path
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    environ.update(extra)
    return environ


def call(app: WSGIApplication, environ: WSGIEnvironment) -> Answer:
    """Call ``app`` behind wsgiref's validator and read the whole answer."""
    seen: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
    ) -> Callable[[bytes], object]:
        seen.append((status, headers))
        return lambda data: None

    body = validator(app)(environ, start_response)
    try:
        data = b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    status, headers = seen[-1]
    return Answer(int(status[:3]), headers, data)


def _send(
    app: WSGIApplication,
    path: str = "/",
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    *,
    environ: Mapping[str, object] | None = None,
    **extra: str,
) -> Answer:
    return call(app, environ_for(path, method, headers, **(environ or {}), **extra))


@pytest.fixture
def send() -> Send:
    """``send(app, path, method, headers, **environ)``: one in-process request, read whole,
    through wsgiref's validator (which fails the test when the app breaks PEP 3333)."""
    return _send


@pytest.fixture
def raw_upstream() -> Iterator[RawUpstream]:
    """``raw_upstream(reply)``: a loopback server that reads each request's head and answers
    with exactly the bytes ``reply``, then closes the connection (for answers no WSGI server
    would send: broken, cut short, carrying hop-by-hop fields); returns the base URL."""
    listeners: list[tuple[socket.socket, threading.Thread]] = []

    def start(reply: bytes) -> str:
        listener = socket.create_server(("127.0.0.1", 0))

        def run() -> None:
            while True:
                try:
                    connection, _ = listener.accept()
                except OSError:
                    return
                with connection:
                    head = b""
                    while b"\r\n\r\n" not in head:
                        piece = connection.recv(65536)
                        if not piece:
                            break
                        head += piece
                    connection.sendall(reply)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        listeners.append((listener, thread))
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    for listener, thread in listeners:
        listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() on Linux
        listener.close()
        thread.join(timeout=5)
