"""``serve`` in one process: built, announced, served, stopped by a signal with exit status 0."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from shallot.testing import fetch

if TYPE_CHECKING:
    from pathlib import Path

DRIVER = """
import os, sys
from shallot.server import base_url, open_listener, serve

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]

listener = open_listener("127.0.0.1", 0)
serve(lambda: app, listener, workers=int(sys.argv[1]),
      ready=lambda: print("Serving on", base_url(listener), flush=True))
print("Stopped.", flush=True)
"""


def run_driver(tmp_path: Path, workers: int) -> tuple[subprocess.Popen[str], str]:
    script = tmp_path / "driver.py"
    script.write_text(textwrap.dedent(DRIVER))
    process = subprocess.Popen(
        [sys.executable, str(script), str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().split()[-1]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_one_process_serves_itself_and_stops_on_a_signal(tmp_path: Path, signum: int) -> None:
    process, url = run_driver(tmp_path, 1)
    try:
        reply = fetch(url.rstrip("/"), "/", timeout=10)
        assert (reply.status, int(reply.body)) == (200, process.pid)
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert (process.returncode, stdout) == (0, "Stopped.\n"), stderr


def test_several_workers_serve_from_child_processes(tmp_path: Path) -> None:
    process, url = run_driver(tmp_path, 2)
    try:
        reply = fetch(url.rstrip("/"), "/", timeout=10)
        assert reply.status == 200
        assert int(reply.body) != process.pid
        process.terminate()
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert (process.returncode, stdout) == (0, "Stopped.\n"), stderr
