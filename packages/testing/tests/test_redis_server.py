"""RedisServer runs a real redis-server that answers, flushes and goes away."""

from __future__ import annotations

import socket

import pytest

from shallot.testing import RedisServer, require_service


def test_start_command_flush_stop() -> None:
    executable = require_service("redis-server", "apt-get install redis-server")
    with RedisServer(executable) as server:
        assert server.url == f"redis://127.0.0.1:{server.port}/0"
        assert server.command("SET", "key", "value") == b"+OK"
        assert server.command("EXISTS", "key") == b":1"
        server.flush()
        assert server.command("EXISTS", "key") == b":0"
        workdir = server.workdir
    assert not workdir.exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((server.host, server.port), timeout=1)


def test_redis_fixture_starts_empty(redis: RedisServer) -> None:
    assert redis.command("DBSIZE") == b":0"
    redis.command("SET", "left", "behind")


def test_redis_fixture_is_flushed_between_tests(redis: RedisServer) -> None:
    assert redis.command("DBSIZE") == b":0"
