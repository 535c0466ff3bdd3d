"""A real ``memcached`` on a free loopback port, started and stopped by the tests.

Shallot's memcached cache backend is tested against the real server, never a fake: what it
promises (expiry, ``add`` that only one writer wins, atomic ``incr``, keys the server refuses) is
the server's own behaviour, and only the real server can show it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from typing import TYPE_CHECKING

from shallot.testing.redis_server import free_port

if TYPE_CHECKING:
    from types import TracebackType


class MemcachedServerError(RuntimeError):
    """``memcached`` did not start or answer in time, or refused a command."""


class MemcachedServer:
    """A throw-away ``memcached`` bound to loopback (64 MiB, no UDP).

    ``address`` is the ``(host, port)`` pair memcached clients take. :meth:`command` speaks the
    ASCII protocol directly, so tests can flush or inspect the server without any client library
    installed.
    """

    def __init__(
        self, executable: str = "memcached", host: str = "127.0.0.1", timeout: float = 10
    ) -> None:
        self.host = host
        self.port = free_port(host)
        self.address = (host, self.port)
        arguments = [
            executable,
            "--listen", host,
            "--port", str(self.port),
            "--udp-port", "0",
            "--memory-limit", "64",
        ]  # fmt: skip
        if os.geteuid() == 0:
            arguments += ["--user", "root"]  # memcached refuses to run as root without it
        self._process = subprocess.Popen(
            arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.command("version").startswith(b"VERSION "):
                    return
            except OSError:
                pass
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise MemcachedServerError(f"memcached did not answer on {host}:{self.port}")
            time.sleep(0.02)

    def command(self, line: str) -> bytes:
        """Send one ASCII command line and return the first line of the reply (e.g. ``b"OK"``)."""
        with socket.create_connection((self.host, self.port), timeout=5) as connection:
            connection.sendall(line.encode() + b"\r\n")
            reply = connection.makefile("rb").readline()
        return reply.rstrip(b"\r\n")

    def flush(self) -> None:
        """Drop every item, so each test starts from nothing."""
        if self.command("flush_all") != b"OK":
            raise MemcachedServerError("flush_all failed")

    @property
    def running(self) -> bool:
        """Whether the server process is still alive."""
        return self._process.poll() is None

    def stop(self) -> None:
        """Stop the server (idempotent)."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def __enter__(self) -> MemcachedServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
