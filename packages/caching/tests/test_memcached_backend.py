"""MemcachedCache on the real server: key mapping, long times, large values, a stopped server."""

from __future__ import annotations

import hashlib
from contextlib import closing
from typing import TYPE_CHECKING

import pytest

from shallot.caching import CacheError, MemcachedCache
from shallot.testing import MemcachedServer, require_service

if TYPE_CHECKING:
    from collections.abc import Callable


def test_keys_memcached_accepts_are_sent_as_they_are(
    memcached: MemcachedServer, request: pytest.FixtureRequest
) -> None:
    cache = MemcachedCache(memcached.address, prefix="app:")
    request.addfinalizer(cache.close)
    cache.set("k", 7, namespace="pages")
    assert memcached.command("get app:pages:k") == b"VALUE app:pages:k 0 1"
    cache.set("GET  /a b", 1)
    digest = hashlib.blake2b(b"app::GET  /a b", digest_size=24).hexdigest()
    assert memcached.command(f"get #{digest}").startswith(b"VALUE #")


def test_times_past_thirty_days_still_count_from_now(
    memcached: MemcachedServer, request: pytest.FixtureRequest
) -> None:
    cache = MemcachedCache(memcached.address)
    request.addfinalizer(cache.close)
    assert cache.set("k", "v", time=40 * 24 * 3600)
    assert cache.add("other", "v", time=31 * 24 * 3600)
    assert cache.set_multi({"m": 1}, time=60 * 24 * 3600) == []
    assert cache.get_multi(["k", "other", "m"]) == {"k": "v", "other": "v", "m": 1}


def test_values_past_the_item_limit_are_not_stored(
    memcached: MemcachedServer, request: pytest.FixtureRequest
) -> None:
    cache = MemcachedCache(memcached.address)
    request.addfinalizer(cache.close)
    huge = b"x" * (2 * 1024 * 1024)
    assert not cache.set("huge", huge)
    assert not cache.add("huge", huge)
    assert cache.set_multi({"small": b"x", "huge": huge}) == ["huge"]
    assert cache.get_multi(["small", "huge"]) == {"small": b"x"}


def test_a_value_written_by_another_program(memcached: MemcachedServer) -> None:
    memcached.command("set shallot:cache::k 0 0 3\r\nabc")
    with (
        closing(MemcachedCache(memcached.address)) as cache,
        pytest.raises(CacheError, match="memcached: cannot read a cached value"),
    ):
        cache.get("k")


def test_a_stopped_server_is_a_cache_error(request: pytest.FixtureRequest) -> None:
    executable = require_service("memcached", "apt-get install memcached")
    with MemcachedServer(executable) as server:
        cache = MemcachedCache(server.address, timeout=0.5)
        request.addfinalizer(cache.close)
        cache.set("k", 1)
    assert not server.running
    operations: list[Callable[[], object]] = [
        lambda: cache.get("k"),
        lambda: cache.get_multi(["k"]),
        lambda: cache.set("k", 1),
        lambda: cache.set_multi({"k": 1}),
        lambda: cache.add("k", 1),
        lambda: cache.incr("k", 1, initial_value=0),
        lambda: cache.delete("k"),
        lambda: cache.delete_multi(["k"]),
    ]
    for operation in operations:
        with pytest.raises(CacheError, match="memcached: ") as raised:
            operation()
        assert raised.value.backend == "memcached"
    assert "MemcachedCache" in repr(cache)
