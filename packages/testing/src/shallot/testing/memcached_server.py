"""A real ``memcached`` on a free loopback port, started and stopped by the tests.

Shallot's memcached cache backend is tested against the real server, never a fake: what it
promises (expiry, ``add`` that only one writer wins, atomic ``incr``, keys the server refuses) is
the server's own behaviour, and only the real server can show it.
"""

from __future__ import annotations

import os

from shallot.testing.service_process import ServiceProcess

__all__ = ["MemcachedServer", "MemcachedServerError"]


class MemcachedServerError(RuntimeError):
    """``memcached`` did not start or answer in time, or refused a command."""


class MemcachedServer(ServiceProcess):
    """A throw-away ``memcached`` bound to loopback (64 MiB, no UDP).

    ``address`` is the ``(host, port)`` pair memcached clients take. :meth:`command` speaks the
    ASCII protocol directly, so tests can flush or inspect the server without any client library
    installed.
    """

    def __init__(
        self, executable: str = "memcached", host: str = "127.0.0.1", timeout: float = 10
    ) -> None:
        super().__init__(host)
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
        self._launch(
            arguments,
            lambda: self.command("version").startswith(b"VERSION "),
            timeout,
            f"memcached did not answer on {host}:{self.port}",
        )

    def _error(self, message: str) -> RuntimeError:
        return MemcachedServerError(message)

    def command(self, line: str) -> bytes:
        """Send one ASCII command line and return the first line of the reply (e.g. ``b"OK"``)."""
        return self._first_reply_line(line.encode() + b"\r\n")

    def flush(self) -> None:
        """Drop every item, so each test starts from nothing."""
        if self.command("flush_all") != b"OK":
            raise MemcachedServerError("flush_all failed")
