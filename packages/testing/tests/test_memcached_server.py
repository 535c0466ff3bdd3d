"""MemcachedServer runs a real memcached that answers, flushes and goes away."""

from __future__ import annotations

import socket

import pytest

from shallot.testing import MemcachedServer, require_service


def test_start_command_flush_stop() -> None:
    executable = require_service("memcached", "apt-get install memcached")
    with MemcachedServer(executable) as server:
        assert server.address == ("127.0.0.1", server.port)
        assert server.running
        assert server.command("set key 0 0 5\r\nvalue") == b"STORED"
        assert server.command("get key") == b"VALUE key 0 5"
        server.flush()
        assert server.command("get key") == b"END"
    assert not server.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((server.host, server.port), timeout=1)


def test_memcached_fixture_starts_empty(memcached: MemcachedServer) -> None:
    assert memcached.command("get left") == b"END"
    assert memcached.command("set left 0 0 6\r\nbehind") == b"STORED"


def test_memcached_fixture_is_flushed_between_tests(memcached: MemcachedServer) -> None:
    assert memcached.command("get left") == b"END"
