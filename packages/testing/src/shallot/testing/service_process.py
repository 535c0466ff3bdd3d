"""A throw-away server program on a free loopback port: what ``redis-server`` and ``memcached``
fixtures share.

Starting one is the same for every program: pick a free port, launch it with its output
discarded, ask it something until it answers (or fail when it exits or takes too long), and stop
it on exit, terminating and, if need be, killing it. Only the command line, the readiness probe and
the wire protocol differ; :class:`ServiceProcess` holds the rest.
"""

from __future__ import annotations

import socket
import subprocess
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from typing_extensions import Self

__all__ = ["ServiceProcess", "free_port"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class ServiceProcess:
    """A server program started on ``host`` and a free :attr:`port`, stopped by :meth:`stop` or
    at the end of a ``with`` block. Subclasses build the command line and the readiness probe
    and call :meth:`_launch`."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.port = free_port(host)
        self._process: subprocess.Popen[bytes] | None = None

    def _launch(
        self, arguments: list[str], ready: Callable[[], bool], timeout: float, error: str
    ) -> None:
        """Start ``arguments`` and wait until ``ready()`` is true; stop it and raise
        ``RuntimeError(error)`` (as the subclass's error type) when the program exits first or
        ``timeout`` seconds pass."""
        self._process = subprocess.Popen(
            arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if ready():
                    return
            except OSError:
                pass
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise self._error(error)
            time.sleep(0.02)

    def _error(self, message: str) -> RuntimeError:
        """The exception a failed start raises (subclasses name their own type)."""
        return RuntimeError(message)

    def _first_reply_line(self, payload: bytes) -> bytes:
        """Send ``payload`` on a new connection; the first line of the answer, without CRLF."""
        with socket.create_connection((self.host, self.port), timeout=5) as connection:
            connection.sendall(payload)
            reply = connection.makefile("rb").readline()
        return reply.rstrip(b"\r\n")

    @property
    def running(self) -> bool:
        """Whether the server process is still alive."""
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        """Stop the server (idempotent): terminate it, kill it if it lingers."""
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
