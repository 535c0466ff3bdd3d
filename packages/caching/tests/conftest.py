"""Shared fixtures: the three backends, for the contract tests.

``backend`` runs a test over :class:`MemoryCache`, :class:`RedisCache` on the real redis fixture,
and :class:`MemcachedCache` on the real memcached fixture. Apps are called in-process with
shallot-testing's ``call`` fixture (behind wsgiref's validator, the answer as a
:class:`~shallot.testing.Reply`, like ``fetch`` gives it over a socket).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.caching import MemcachedCache, MemoryCache, RedisCache

if TYPE_CHECKING:
    from collections.abc import Iterator

    from shallot.caching import Cache
    from shallot.testing import MemcachedServer, RedisServer


@pytest.fixture(params=["memory", "redis", "memcached"])
def backend(request: pytest.FixtureRequest) -> Iterator[Cache]:
    """Each backend in turn, empty: memory, then the real Redis, then the real memcached."""
    if request.param == "memory":
        yield MemoryCache()
    elif request.param == "redis":
        server: RedisServer = request.getfixturevalue("redis")
        cache = RedisCache(server.url)
        yield cache
        cache.close()
    else:
        memcached: MemcachedServer = request.getfixturevalue("memcached")
        client = MemcachedCache(memcached.address)
        yield client
        client.close()
