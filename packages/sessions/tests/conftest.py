"""Fixtures shared by the sessions tests: every store, and writer processes.

``store`` is parametrised over the three stores (Redis being the real server from shallot-testing),
so every test taking it is the store-agnostic suite. ``run_writers`` runs ``workers.py`` processes
that change one session at once, all released together, the way several server processes do.
In-process requests go through shallot-testing's ``call`` fixture (behind wsgiref's validator, so
the middleware's WSGI use is checked too; ``reply.headers.get_all("Set-Cookie")``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shallot.sessions import (
    MemorySessionStore,
    RedisSessionStore,
    SessionStore,
    SQLiteSessionStore,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

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
