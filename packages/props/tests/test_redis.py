"""RedisPropertyStorage on a real redis-server: layout, clients, isolation, several processes."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
import redis as redis_client

from shallot.props import PropertyManager, RedisPropertyStorage

if TYPE_CHECKING:
    from collections.abc import Callable

    from shallot.testing import RedisServer

Patch = tuple[str, dict[str, str], list[str]]
"""As conftest's: the URL, the properties to set, the names to remove."""


def test_a_hash_per_resource_and_a_lexical_index(redis: RedisServer) -> None:
    client = redis_client.Redis.from_url(redis.url, decode_responses=True)
    with RedisPropertyStorage(client, prefix="t:") as storage:
        manager = PropertyManager(storage)
        manager.patch("/a/b", set={"{DAV:}x": "<x>é</x>"})
        manager.patch("/a", set={"{DAV:}y": "<y/>"})
        assert client.hgetall("t:r:/a/b") == {"{DAV:}x": "<x>é</x>"}
        assert client.zrange("t:urls", 0, -1, withscores=True) == [("/a", 0.0), ("/a/b", 0.0)]
        manager.patch("/a/b", remove=["{DAV:}x"])
        assert client.exists("t:r:/a/b") == 0
        assert client.zrange("t:urls", 0, -1) == ["/a"]
        manager.move_tree("/a", "/m")
        assert sorted(client.keys("t:*")) == ["t:r:/m", "t:urls"]
        assert client.zrange("t:urls", 0, -1) == ["/m"]
        assert manager.get_all("/m") == {"{DAV:}y": "<y/>"}
        assert (manager.names("/m"), manager.get("/m", "{DAV:}y")) == (["{DAV:}y"], "<y/>")
    assert client.ping()
    client.close()


def test_prefixes_keep_storages_apart(redis: RedisServer) -> None:
    with (
        RedisPropertyStorage.from_url(redis.url, prefix="one:") as one,
        RedisPropertyStorage.from_url(redis.url, prefix="two:") as two,
    ):
        PropertyManager(one).patch("/a", set={"{DAV:}x": "<x/>"})
        PropertyManager(two).patch("/a/b", set={"{DAV:}x": "<x/>"})
        PropertyManager(two).delete_tree("/")
        assert PropertyManager(one).get_all("/a") == {"{DAV:}x": "<x/>"}
        assert PropertyManager(two).get_all("/a/b") == {}


def test_from_url_owns_and_closes_its_client(redis: RedisServer) -> None:
    storage = RedisPropertyStorage.from_url(redis.url)
    PropertyManager(storage).patch("/a", set={"{DAV:}x": "<x/>"})
    storage.close()
    with RedisPropertyStorage.from_url(redis.url) as again:
        assert PropertyManager(again).get_all("/a") == {"{DAV:}x": "<x/>"}


def test_base_package_does_not_import_redis() -> None:
    code = "import sys, shallot.props; print('redis' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False\n"


def test_missing_client_library_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(ImportError, match=r"pip install 'shallot-props\[redis\]'"):
        RedisPropertyStorage.from_url("redis://127.0.0.1:1/0")


def test_processes_patching_concurrently_lose_nothing(
    redis: RedisServer,
    run_workers: Callable[[str, list[list[Patch]]], None],
    patch_plans: tuple[list[list[Patch]], dict[str, dict[str, str]]],
) -> None:
    plans, expected = patch_plans
    run_workers(f"redis:{redis.url}", plans)
    with RedisPropertyStorage.from_url(redis.url) as storage:
        manager = PropertyManager(storage)
        assert {url: manager.get_all(url) for url in expected} == expected
