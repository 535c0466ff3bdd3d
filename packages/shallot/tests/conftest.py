"""Shared fixtures: the ``shallot`` command run as a real child process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from pathlib import Path

STARTUP_TIMEOUT = 60.0
"""Seconds a child gets to print its banner (generous: the machine is shared and slow)."""


@dataclass
class Running:
    """A ``shallot`` child process, the URL its first line announced and that first line."""

    process: subprocess.Popen[str]
    url: str
    banner: str

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str, str]:
        """Send ``signum``, wait, and return the exit status and the rest of stdout and stderr
        (read after the exit, through the pipes' buffers, which hold what followed the banner)."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        self.process.wait(timeout=STARTUP_TIMEOUT)
        assert self.process.stdout is not None
        assert self.process.stderr is not None
        return self.process.returncode, self.process.stdout.read(), self.process.stderr.read()


def shallot_command(*arguments: str) -> list[str]:
    """The command line running ``shallot ARGUMENTS`` with this interpreter."""
    return [sys.executable, "-m", "shallot.cli", *arguments]


def _read_banner(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    banner = process.stdout.readline()
    if "http://" not in banner:
        process.kill()
        stdout, stderr = process.communicate(timeout=STARTUP_TIMEOUT)
        raise AssertionError(f"no URL announced: {banner!r}{stdout!r}\nstderr: {stderr}")
    return banner


@pytest.fixture
def start_shallot(tmp_path: Path) -> Iterator[Callable[..., Running]]:
    """``start_shallot("dav", ROOT, "--port", "0", cwd=..., env=...)``: run the command until
    its banner, with ``XDG_STATE_HOME`` in ``tmp_path`` unless ``env`` sets it; stopped after the
    test."""
    started: list[Running] = []

    def start(
        *arguments: str, cwd: Path | None = None, env: Mapping[str, str] | None = None
    ) -> Running:
        environment = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state-home"), **(env or {})}
        process = subprocess.Popen(
            shallot_command(*arguments),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env=environment,
            start_new_session=True,
        )
        banner = _read_banner(process)
        running = Running(process, banner[banner.index("http://") :].split()[0], banner)
        started.append(running)
        return running

    yield start
    for running in started:
        if running.process.poll() is None:
            running.process.terminate()
        try:
            running.process.communicate(timeout=STARTUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(running.process.pid, signal.SIGKILL)
            running.process.communicate()
