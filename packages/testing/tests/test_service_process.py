"""ServiceProcess: a program that exits before it answers fails the start with the server's own
error type, and leaves nothing running."""

from __future__ import annotations

import shutil
import socket

import pytest

from shallot.testing import (
    MemcachedServer,
    MemcachedServerError,
    RedisServer,
    RedisServerError,
    free_port,
)


@pytest.mark.parametrize(
    ("server", "error"),
    [(MemcachedServer, MemcachedServerError), (RedisServer, RedisServerError)],
)
def test_a_program_that_exits_at_once_fails_the_start(
    server: type[MemcachedServer] | type[RedisServer], error: type[RuntimeError]
) -> None:
    executable = shutil.which("false")
    assert executable is not None
    with pytest.raises(error, match=r"did not answer on 127\.0\.0\.1:"):
        server(executable, timeout=5)


def test_free_port_can_be_bound() -> None:
    port = free_port()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
