"""Starting the assembled system's servers in child processes, for the integration tests."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ServerProcess:
    """A server running in a child process, and the URL it announced."""

    process: subprocess.Popen[str]
    url: str

    def stop(self) -> None:
        """Kill the server if it still runs and release its pipe."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_server(command: list[str]) -> ServerProcess:
    """Run ``command`` and wait for the first line it prints that carries an ``http://`` URL.

    When none comes, the error carries what the command wrote to standard error.
    """
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True)
        assert process.stdout is not None
        banner = process.stdout.readline()
        if "http://" in banner:
            return ServerProcess(process, banner[banner.index("http://") :].strip())
        ServerProcess(process, "").stop()
        errors.seek(0)
        raise RuntimeError(
            f"{command[1:]} did not announce a URL: {banner!r}; stderr:\n{errors.read()[-4000:]}"
        )


def demo_command() -> list[str]:
    """The shallot.http demo app (``hatch run demo``), on a free port."""
    return [sys.executable, str(ROOT / "tools" / "demo.py"), "--port", "0"]
