"""Fixtures shared by the sessions tests: every store, writer processes, an in-process caller.

``store`` is parametrised over the three stores (Redis being the real server from shallot-testing),
so every test taking it is the store-agnostic suite. ``run_writers`` runs ``workers.py`` processes
that change one session at once, all released together, the way several server processes do.
``call`` answers one request from a WSGI application in-process, behind wsgiref's validator.
"""

from __future__ import annotations

import http.client
import io
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest

from shallot.sessions import (
    MemorySessionStore,
    RedisSessionStore,
    SessionStore,
    SQLiteSessionStore,
)
from shallot.testing import Reply

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from _typeshed import OptExcInfo
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

    from shallot.testing import RedisServer

WORKER = Path(__file__).with_name("workers.py")
WORKER_TIMEOUT = 120


@pytest.fixture(params=["memory", "sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SessionStore]:
    """Each store in turn, empty."""
    made: SessionStore
    if request.param == "memory":
        made = MemorySessionStore()
    elif request.param == "sqlite":
        made = SQLiteSessionStore(tmp_path / "sessions.sqlite")
    else:
        server: RedisServer = request.getfixturevalue("redis")
        made = RedisSessionStore.from_url(server.url)
    yield made
    made.close()


@pytest.fixture
def run_writers() -> Iterator[Callable[[str, str, int, int], None]]:
    """``run_writers(spec, cookie, writers, steps)``: that many ``workers.py`` processes on the
    store ``spec`` (``sqlite:PATH`` or ``redis:URL``), each changing the session of ``cookie``
    ``steps`` times; all are started, then released at once; fails on any error."""
    started: list[subprocess.Popen[str]] = []

    def run(spec: str, cookie: str, writers: int, steps: int) -> None:
        for writer in range(writers):
            started.append(
                subprocess.Popen(
                    [sys.executable, str(WORKER), spec, cookie, str(writer), str(steps)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        for worker in started:
            assert worker.stdout is not None
            line = worker.stdout.readline()
            if line != "ready\n":
                worker.wait(timeout=WORKER_TIMEOUT)
                assert worker.stderr is not None
                pytest.fail(f"writer did not start: {line!r} {worker.stderr.read()}")
        for worker in started:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        for worker in started:
            output, errors = worker.communicate(timeout=WORKER_TIMEOUT)
            assert (worker.returncode, output) == (0, "done\n"), errors

    yield run
    for worker in started:
        if worker.poll() is None:
            worker.kill()
        worker.wait(timeout=WORKER_TIMEOUT)
        for pipe in (worker.stdin, worker.stdout, worker.stderr):
            if pipe is not None:
                pipe.close()


@pytest.fixture
def call() -> Callable[..., Reply]:
    """``call(app, path="/", method="GET", headers=None, body=b"")``: call a WSGI application
    in-process behind wsgiref's validator (so the middleware's WSGI use is checked too); the answer
    as shallot.testing's ``fetch`` gives it (``reply.headers.get_all("Set-Cookie")``)."""

    def run(
        app: WSGIApplication,
        path: str = "/",
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> Reply:
        path, _, query = path.partition("?")
        environ: WSGIEnvironment = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": query,
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
        }
        for name, value in (headers or {}).items():
            key = name.upper().replace("-", "_")
            environ[key if key == "CONTENT_TYPE" else "HTTP_" + key] = value
        setup_testing_defaults(environ)
        seen: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(
            status: str, pairs: list[tuple[str, str]], exc_info: OptExcInfo | None = None, /
        ) -> Callable[[bytes], object]:
            seen.append((status, list(pairs)))
            return lambda data: None

        result = validator(app)(environ, start_response)
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

    return run
