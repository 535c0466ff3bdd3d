"""``shallot serve MODULE:APP``, run for real in its own process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from shallot.testing import fetch

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from ..conftest import Running

APP = """
import os

IMPORTED_BY = os.getpid()

def app(environ, start_response):
    body = f"{IMPORTED_BY} {os.getpid()} {environ['PATH_INFO']}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder holding ``hello_app.py`` and ``broken_app.py``."""
    (tmp_path / "hello_app.py").write_text(textwrap.dedent(APP))
    (tmp_path / "broken_app.py").write_text("raise RuntimeError('cannot import me')\n")
    return tmp_path


def test_serves_an_app_from_the_current_folder(
    project: Path, start_shallot: Callable[..., Running]
) -> None:
    server = start_shallot("serve", "hello_app:app", "--port", "0", "--verbose", cwd=project)
    assert server.banner == f"Serving hello_app:app on {server.url}\n"
    reply = fetch(server.url.rstrip("/"), "/x")
    imported_by, served_by, path = reply.body.decode().split()
    assert imported_by == served_by == str(server.process.pid)
    assert path == "/x"
    status, stdout, stderr = server.stop()
    assert (status, stdout) == (0, "Stopped.\n")
    assert '"GET /x HTTP/1.1" 200 ' in stderr


def test_vv_logs_headers_but_no_bodies(
    project: Path, start_shallot: Callable[..., Running]
) -> None:
    server = start_shallot("serve", "hello_app:app", "--port", "0", "-vv", cwd=project)
    headers = {"Content-Type": "text/xml", "Cookie": "session=hunter2-secret"}
    assert fetch(server.url.rstrip("/"), "/x", "PUT", headers, b"<body/>").status == 200
    status, _, stderr = server.stop()
    assert status == 0, stderr
    lines = stderr.splitlines()
    assert any(line.endswith(" #1 PUT /x HTTP/1.1") for line in lines), stderr
    assert "    Content-Type: text/xml" in lines
    assert "    Cookie: <redacted>" in lines
    assert "#1 response 200 OK" in stderr
    assert "#1 done: 200 OK, " in stderr
    assert '"PUT /x HTTP/1.1" 200 ' in stderr
    assert "<body/>" not in stderr
    assert "hunter2" not in stderr


def test_workers_import_the_app_themselves(
    project: Path, start_shallot: Callable[..., Running]
) -> None:
    server = start_shallot("serve", "hello_app:app", "--port", "0", "--workers", "2", cwd=project)
    assert server.banner.endswith(" with 2 workers\n")
    for _ in range(4):
        imported_by, served_by, _ = fetch(server.url.rstrip("/"), "/").body.decode().split()
        assert imported_by == served_by != str(server.process.pid)
    status, _, stderr = server.stop()
    assert status == 0, stderr


def run_serve(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shallot.cli", "serve", *arguments, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=project,
        env={key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
    )


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_missing_module_or_app_is_reported_before_serving(project: Path, workers: str) -> None:
    for reference, reason in [
        ("no_such_module:app", "no module named 'no_such_module'"),
        ("hello_app:nothing", "hello_app has no attribute 'nothing'"),
        ("not a reference", "expected MODULE:APP"),
    ]:
        done = run_serve(project, reference, "--workers", workers)
        assert done.returncode == 1
        assert done.stdout == ""
        assert reason in done.stderr


def test_an_app_failing_in_its_workers_stops_the_server(project: Path) -> None:
    done = run_serve(project, "broken_app:app", "--workers", "2")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "RuntimeError: cannot import me" in done.stderr
    assert "before serving" in done.stderr
