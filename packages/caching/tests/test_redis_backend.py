"""RedisCache on the real server: its keys, its errors, and a server that is not there."""

from __future__ import annotations

from contextlib import closing
from typing import TYPE_CHECKING

import pytest
from redis import Redis, RedisError

from shallot.caching import CacheError, RedisCache
from shallot.testing import free_port

if TYPE_CHECKING:
    from collections.abc import Callable

    from shallot.testing import RedisServer


def test_keys_live_under_the_prefix(redis: RedisServer) -> None:
    cache = RedisCache(redis.url, prefix="app1:")
    cache.set("k", 7, namespace="pages")
    cache.set("k", "x", time=100)
    assert redis.command("GET", "app1:pages:k") == b"$1"
    assert redis.command("EXISTS", "app1::k") == b":1"
    assert int(redis.command("TTL", "app1::k")[1:]) > 90
    with closing(RedisCache(redis.url, prefix="app2:")) as other:
        assert other.get("k") is None
    cache.close()


def test_a_value_written_by_another_program(redis: RedisServer) -> None:
    redis.command("SET", "shallot:cache::k", "not a pickle")
    with (
        closing(RedisCache(redis.url)) as cache,
        pytest.raises(CacheError, match="cannot read a cached value"),
    ):
        cache.get("k")


def test_incr_of_a_non_integer(redis: RedisServer) -> None:
    with closing(RedisCache(redis.url)) as cache:
        cache.set("k", "text")
        with pytest.raises(CacheError, match="redis: INCRBY failed"):
            cache.incr("k")


def test_a_client_that_decodes_replies(redis: RedisServer) -> None:
    client = Redis.from_url(redis.url, decode_responses=True)
    cache = RedisCache(client=client)
    client.set("shallot:cache::k", "1x")
    with pytest.raises(CacheError, match="decode_responses=False"):
        cache.get("k")
    cache.close()


def test_no_server_is_a_cache_error(request: pytest.FixtureRequest) -> None:
    cache = RedisCache(f"redis://127.0.0.1:{free_port()}/0")
    request.addfinalizer(cache.close)
    operations: list[Callable[[], object]] = [
        lambda: cache.get("k"),
        lambda: cache.get_multi(["k"]),
        lambda: cache.set("k", 1),
        lambda: cache.set_multi({"k": 1}),
        lambda: cache.add("k", 1),
        lambda: cache.incr("k"),
        lambda: cache.delete("k"),
        lambda: cache.delete_multi(["k"]),
    ]
    for operation in operations:
        with pytest.raises(CacheError, match="redis: ") as raised:
            operation()
        assert raised.value.backend == "redis"
        assert isinstance(raised.value.__cause__, RedisError)
    assert "RedisCache" in repr(cache)
