"""Several ``shallot dav`` processes on one state: locks and dead properties are one view.

- Two servers on two ports with one SQLite state folder, and two on one real Redis: a lock taken
  through one is honoured (423) by the other, its token works through the other, properties set
  through one are seen through the other.
- ``shallot serve --workers 2`` with a WebDAV app on SQLite: the same across two pre-forked
  workers behind one port. Which worker answers is forced by stopping the other (SIGSTOP).
"""

from __future__ import annotations

import os
import signal
import sys
import textwrap
import time
from contextlib import ExitStack
from typing import TYPE_CHECKING

import pytest
from dav_servers import dav_server, stop_gently
from servers import start_server

from shallot.testing import Reply, fetch

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from shallot.testing import RedisServer

LOCK_BODY = b"""<?xml version="1.0" encoding="utf-8"?>
<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope>
<D:locktype><D:write/></D:locktype><D:owner>shared-state test</D:owner></D:lockinfo>"""

PROPPATCH_BODY = b"""<?xml version="1.0" encoding="utf-8"?>
<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:shallot:test"><D:set><D:prop>
<Z:colour>saffron</Z:colour></D:prop></D:set></D:propertyupdate>"""

PROPFIND_BODY = b"""<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:Z="urn:shallot:test"><D:prop><Z:colour/></D:prop></D:propfind>"""


def through(url: str) -> Callable[..., Reply]:
    """A request function bound to one server's base URL."""
    base = url.rstrip("/")

    def send(method: str, path: str, body: bytes | None = None, **headers: str) -> Reply:
        return fetch(base, path, method, {k.replace("_", "-"): v for k, v in headers.items()}, body)

    return send


def check_one_view(first: Callable[..., Reply], second: Callable[..., Reply]) -> None:
    """The lock and property exchanges of the module documentation, ``first`` and ``second``
    being two servers (or workers) on one state."""
    assert first("PUT", "/doc.txt", b"v1").status == 201
    locked = first("LOCK", "/doc.txt", LOCK_BODY, Timeout="Second-600", Depth="0")
    assert locked.status == 200, locked
    token = locked.headers["Lock-Token"].strip("<>")

    refused = second("PUT", "/doc.txt", b"v2")
    assert refused.status == 423
    assert b"lock-token-submitted" in refused.body
    assert second("LOCK", "/doc.txt", LOCK_BODY, Depth="0").status == 423
    assert second("PUT", "/doc.txt", b"v2", If=f"(<{token}>)").status == 204

    patched = second("PROPPATCH", "/doc.txt", PROPPATCH_BODY, If=f"(<{token}>)")
    assert patched.status == 207
    assert b"200 OK" in patched.body
    found = first("PROPFIND", "/doc.txt", PROPFIND_BODY, Depth="0")
    assert found.status == 207
    assert b"saffron" in found.body
    assert b"shared-state test" in first(
        "PROPFIND", "/doc.txt", b'<D:propfind xmlns:D="DAV:"><D:prop><D:lockdiscovery/>'
        b"</D:prop></D:propfind>", Depth="0"
    ).body  # fmt: skip

    assert second("UNLOCK", "/doc.txt", Lock_Token=f"<{token}>").status == 204
    assert first("PUT", "/doc.txt", b"v3").status == 204
    assert first("GET", "/doc.txt").body == b"v3"
    assert second("DELETE", "/doc.txt").status == 204
    assert first("PUT", "/doc.txt", b"new").status == 201
    assert b"saffron" not in second("PROPFIND", "/doc.txt", PROPFIND_BODY, Depth="0").body


@pytest.fixture
def two_on(tmp_path: Path) -> Iterator[Callable[[str], tuple[Callable[..., Reply], ...]]]:
    """``two_on(state)``: two servers of one folder on ``state``, as request functions."""
    root = tmp_path / "root"
    root.mkdir()
    with ExitStack() as stack:

        def start(state: str) -> tuple[Callable[..., Reply], ...]:
            servers = [stack.enter_context(dav_server(root, state)) for _ in range(2)]
            assert servers[0].url != servers[1].url
            return tuple(through(server.url) for server in servers)

        yield start


def test_two_servers_on_one_sqlite_state(
    two_on: Callable[[str], tuple[Callable[..., Reply], ...]], tmp_path: Path
) -> None:
    first, second = two_on(str(tmp_path / "state"))
    check_one_view(first, second)


def test_two_servers_on_one_redis(
    two_on: Callable[[str], tuple[Callable[..., Reply], ...]], redis: RedisServer
) -> None:
    first, second = two_on(redis.url)
    check_one_view(first, second)


WORKER_APP = """
import os
from pathlib import Path

from shallot.dav import DAVConfig, build_app

root, state = Path(os.environ["DAV_ROOT"]), os.environ["DAV_STATE"]
dav = build_app(DAVConfig(shares={"/": root}, state=state))


def app(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker", str(os.getpid()))], exc_info)

    return dav(environ, start)
"""


def wait_stopped(pid: int) -> None:
    """Wait until every thread of ``pid`` is stopped (SIGSTOP is delivered asynchronously)."""
    deadline = time.monotonic() + 30
    while True:
        states = set()
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/stat") as stat:
                states.add(stat.read().rsplit(")", 1)[1].split()[0])
        if states <= {"T", "t"}:
            return
        assert time.monotonic() < deadline, f"{pid} did not stop"
        time.sleep(0.01)


def test_two_workers_behind_one_port_on_one_sqlite_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "dav_worker_app.py").write_text(textwrap.dedent(WORKER_APP))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DAV_ROOT", str(tmp_path / "root"))
    monkeypatch.setenv("DAV_STATE", str(tmp_path / "state"))
    command = [sys.executable, "-m", "shallot.cli", "serve", "dav_worker_app:app"]
    server = start_server([*command, "--port", "0", "--workers", "2"])
    try:
        with open(f"/proc/{server.process.pid}/task/{server.process.pid}/children") as children:
            workers = sorted(int(pid) for pid in children.read().split())
        assert len(workers) == 2
        send = through(server.url)

        def only(worker: int) -> Callable[..., Reply]:
            """Requests answered by ``worker`` alone: the other is stopped meanwhile."""

            def send_to(method: str, path: str, body: bytes | None = None, **headers: str) -> Reply:
                other = workers[1 - workers.index(worker)]
                os.kill(other, signal.SIGSTOP)
                try:
                    wait_stopped(other)
                    reply = send(method, path, body, **headers)
                finally:
                    os.kill(other, signal.SIGCONT)
                assert reply.headers["X-Worker"] == str(worker)
                return reply

            return send_to

        check_one_view(only(workers[0]), only(workers[1]))
    finally:
        stop_gently(server)
