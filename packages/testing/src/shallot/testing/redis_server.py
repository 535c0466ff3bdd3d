"""A real ``redis-server`` on a free loopback port, started and stopped by the tests.

Shallot's Redis storages are tested against the real server, never a fake: the atomicity they
promise (a lock taken by exactly one of several processes) is Redis's own, and only the real server
can show it.
"""

from __future__ import annotations

import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import TracebackType


class RedisServerError(RuntimeError):
    """``redis-server`` did not start or answer in time."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class RedisServer:
    """A throw-away ``redis-server`` (no persistence) bound to loopback.

    ``url`` is what Redis clients take (``redis://127.0.0.1:PORT/0``). :meth:`command` speaks RESP
    directly, so tests can flush or inspect the server without any client library installed.
    """

    def __init__(
        self, executable: str = "redis-server", host: str = "127.0.0.1", timeout: float = 10
    ) -> None:
        self.host = host
        self.port = free_port(host)
        self.url = f"redis://{host}:{self.port}/0"
        self._workdir = tempfile.TemporaryDirectory(prefix="shallot-redis-")
        self._process = subprocess.Popen(
            [
                executable,
                "--bind", host,
                "--port", str(self.port),
                "--save", "",
                "--appendonly", "no",
                "--dir", self._workdir.name,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.command("PING") == b"+PONG":
                    return
            except OSError:
                pass
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RedisServerError(f"redis-server did not answer on {host}:{self.port}")
            time.sleep(0.02)

    def command(self, *words: str) -> bytes:
        """Send one command and return the first line of the reply (e.g. ``b"+OK"``, ``b":3"``)."""
        payload = f"*{len(words)}\r\n".encode()
        for word in words:
            encoded = word.encode()
            payload += b"$%d\r\n%s\r\n" % (len(encoded), encoded)
        with socket.create_connection((self.host, self.port), timeout=5) as connection:
            connection.sendall(payload)
            reply = connection.makefile("rb").readline()
        return reply.rstrip(b"\r\n")

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
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._workdir.cleanup()

    def __enter__(self) -> RedisServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
