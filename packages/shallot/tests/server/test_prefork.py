"""Pre-forked workers, driven for real: a supervisor process, its workers, signals and sockets."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from typing import TYPE_CHECKING

import pytest

from shallot.testing import fetch

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

DRIVER = """
import os, sys
from shallot.server import base_url, open_listener, serve_workers

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]

def broken():
    raise RuntimeError("this app cannot start")

listener = open_listener("127.0.0.1", 0)
factory = broken if sys.argv[2] == "broken" else (lambda: app)
try:
    serve_workers(factory, listener, int(sys.argv[1]), 2,
                  ready=lambda: print("Serving on", base_url(listener), flush=True))
except Exception as error:
    print(type(error).__name__, error, flush=True)
    sys.exit(3)
print("Stopped.", flush=True)
"""

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="pre-fork needs os.fork")


class Supervisor:
    def __init__(self, tmp_path: Path, workers: int, mode: str = "ok") -> None:
        script = tmp_path / "driver.py"
        script.write_text(textwrap.dedent(DRIVER))
        self.process = subprocess.Popen(
            [sys.executable, str(script), str(workers), mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        self.banner = self.process.stdout.readline()
        self.url = self.banner.split()[-1] if "http://" in self.banner else ""

    def workers(self) -> set[int]:
        path = f"/proc/{self.process.pid}/task/{self.process.pid}/children"
        with open(path) as children:
            return {int(pid) for pid in children.read().split()}

    def served_by(self) -> int:
        reply = fetch(self.url.rstrip("/"), "/", timeout=10)
        assert reply.status == 200
        return int(reply.body)

    def finish(self) -> tuple[int, str, str]:
        stdout, stderr = self.process.communicate(timeout=60)
        return self.process.returncode, stdout, stderr

    def clean_up(self) -> None:
        """Stop the supervisor and, should any survive it, its workers (its process group)."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.communicate()


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Supervisor]:
    running = Supervisor(tmp_path, 2)
    assert running.url, running.finish()
    yield running
    running.clean_up()


def listening_inode(pid: int) -> set[str]:
    """The socket inodes a process holds open."""
    found = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except FileNotFoundError:
            continue
        if target.startswith("socket:"):
            found.add(target)
    return found


def stop_process(pid: int) -> None:
    """SIGSTOP ``pid`` and wait until every thread of it has stopped (delivery is asynchronous)."""
    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + 30
    while True:
        states = set()
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/stat") as stat:
                states.add(stat.read().rsplit(")", 1)[1].split()[0])
        if states <= {"T", "t"}:
            return
        assert time.monotonic() < deadline, f"{pid} did not stop: {states}"
        time.sleep(0.01)


def test_every_worker_serves_the_one_port(supervisor: Supervisor) -> None:
    workers = supervisor.workers()
    assert len(workers) == 2
    shared = set.intersection(*(listening_inode(pid) for pid in workers))
    assert shared, "the workers share no socket"
    first, second = sorted(workers)
    # With one worker stopped, only the other can accept: each in turn must answer on the port.
    for stopped, serving in ((first, second), (second, first)):
        stop_process(stopped)
        try:
            assert {supervisor.served_by() for _ in range(5)} == {serving}
        finally:
            os.kill(stopped, signal.SIGCONT)


def test_a_worker_that_dies_is_replaced(supervisor: Supervisor) -> None:
    before = supervisor.workers()
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while True:
        now = supervisor.workers()
        if len(now) == 2 and victim not in now:
            break
        assert time.monotonic() < deadline, f"not replaced: {now}"
        time.sleep(0.1)
    assert supervisor.served_by() in now


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_stops_every_worker_and_exits_0(supervisor: Supervisor, signum: int) -> None:
    workers = supervisor.workers()
    supervisor.process.send_signal(signum)
    status, stdout, stderr = supervisor.finish()
    assert (status, stdout) == (0, "Stopped.\n"), stderr
    assert not any(os.path.exists(f"/proc/{pid}") for pid in workers)


def test_a_worker_that_cannot_start_stops_the_server(tmp_path: Path) -> None:
    running = Supervisor(tmp_path, 2, "broken")
    status, _stdout, stderr = running.finish()
    assert running.banner.startswith("WorkerBootError worker ")
    assert "before serving" in running.banner
    assert status == 3
    assert "RuntimeError: this app cannot start" in stderr


def test_workers_stop_when_the_supervisor_is_killed(supervisor: Supervisor) -> None:
    workers = supervisor.workers()
    supervisor.process.kill()
    supervisor.process.wait()
    deadline = time.monotonic() + 30
    while any(os.path.exists(f"/proc/{pid}") for pid in workers):
        assert time.monotonic() < deadline, "orphaned workers still run"
        time.sleep(0.1)
