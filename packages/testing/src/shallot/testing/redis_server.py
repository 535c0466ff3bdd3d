"""A real ``redis-server`` on a free loopback port, started and stopped by the tests.

Shallot's Redis storages are tested against the real server, never a fake: the atomicity they
promise (a lock taken by exactly one of several processes) is Redis's own, and only the real server
can show it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shallot.testing.service_process import ServiceProcess

__all__ = ["RedisServer", "RedisServerError"]


class RedisServerError(RuntimeError):
    """``redis-server`` did not start or answer in time."""


class RedisServer(ServiceProcess):
    """A throw-away ``redis-server`` (no persistence) bound to loopback.

    ``url`` is what Redis clients take (``redis://127.0.0.1:PORT/0``). :meth:`command` speaks RESP
    directly, so tests can flush or inspect the server without any client library installed.
    """

    def __init__(
        self, executable: str = "redis-server", host: str = "127.0.0.1", timeout: float = 10
    ) -> None:
        super().__init__(host)
        self.url = f"redis://{host}:{self.port}/0"
        self._workdir = tempfile.TemporaryDirectory(prefix="shallot-redis-")
        arguments = [
            executable,
            "--bind", host,
            "--port", str(self.port),
            "--save", "",
            "--appendonly", "no",
            "--dir", self._workdir.name,
        ]  # fmt: skip
        self._launch(
            arguments,
            lambda: self.command("PING") == b"+PONG",
            timeout,
            f"redis-server did not answer on {host}:{self.port}",
        )

    def _error(self, message: str) -> RuntimeError:
        return RedisServerError(message)

    def command(self, *words: str) -> bytes:
        """Send one command and return the first line of the reply (e.g. ``b"+OK"``, ``b":3"``)."""
        payload = f"*{len(words)}\r\n".encode()
        for word in words:
            encoded = word.encode()
            payload += b"$%d\r\n%s\r\n" % (len(encoded), encoded)
        return self._first_reply_line(payload)

    def flush(self) -> None:
        """Empty every database, so each test starts from nothing."""
        if self.command("FLUSHALL") != b"+OK":
            raise RedisServerError("FLUSHALL failed")

    @property
    def workdir(self) -> Path:
        """The server's scratch folder (removed on stop)."""
        return Path(self._workdir.name)

    def stop(self) -> None:
        """Stop the server and remove its scratch folder."""
        super().stop()
        self._workdir.cleanup()
