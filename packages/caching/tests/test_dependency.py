"""CacheDependency: master keys that delete groups of entries, in this and in other processes."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shallot.caching import (
    CacheDependency,
    CacheMiddleware,
    MemoryCache,
    RedisCache,
    ResilientCache,
    depends_on,
)
from shallot.http import Request
from shallot.testing import free_port

if TYPE_CHECKING:
    from types import ModuleType

    from shallot.caching import Cache
    from shallot.testing import Call, RedisServer

WORKER = Path(__file__).with_name("dependency_worker.py")


def test_add_get_delete(backend: Cache) -> None:
    dependency = CacheDependency(backend, time=600, namespace="d")
    for key in ("page-1", "page-2"):
        backend.set(key, f"entry {key}", namespace="d")
        assert dependency.add("goods", key)
    assert dependency.add_multi("goods", ["page-3"]) == []
    assert dependency.add_multi("goods", []) == []
    backend.set("other", "kept", namespace="d")
    assert sorted(dependency.get_keys("goods")) == sorted(
        ["page-1", "page-2", "page-3", "goods1", "goods2", "goods3", "goods"]
    )
    assert dependency.delete("goods")
    assert backend.get_multi(["page-1", "page-2", "goods", "goods1"], "d") == {}
    assert backend.get("other", "d") == "kept"
    assert dependency.get_keys("goods") == []
    assert dependency.delete("goods")


def test_several_masters_and_unique_record_keys(backend: Cache) -> None:
    dependency = CacheDependency(backend)
    assert dependency.next_keys("a", 3) == ["a1", "a2", "a3"]
    assert dependency.next_key("a") == "a4"
    dependency.add("b", "x")
    backend.set("x", 1)
    assert dependency.delete_multi(["a", "b", "never"])
    assert backend.get("x") is None
    assert dependency.get_multi_keys(["a", "b"]) == []


def test_bad_arguments() -> None:
    dependency = CacheDependency(MemoryCache())
    with pytest.raises(ValueError, match="count must be at least 1"):
        dependency.next_keys("a", 0)
    with pytest.raises(ValueError, match="invalid cache namespace"):
        CacheDependency(MemoryCache(), namespace="a:b")
    with pytest.raises(ValueError, match="negative"):
        CacheDependency(MemoryCache(), time=-1)
    with pytest.raises(ValueError, match="non-empty str"):
        depends_on(Request({"REQUEST_METHOD": "GET"}), "")


def test_a_backend_that_gives_no_counter(request: pytest.FixtureRequest) -> None:
    backend = RedisCache(f"redis://127.0.0.1:{free_port()}/0")
    request.addfinalizer(backend.close)
    dependency = CacheDependency(ResilientCache(backend))
    with pytest.raises(RuntimeError, match="no number for dependency 'goods'"):
        dependency.next_key("goods")


def test_depends_on_collects_master_keys() -> None:
    request = Request({"REQUEST_METHOD": "GET"})
    depends_on(request, "goods")
    depends_on(request, "prices", "shops")
    assert request.environ["shallot.caching.dependency"] == ["goods", "prices", "shops"]


def _worker(command: str, url: str) -> dict[str, object]:
    finished = subprocess.run(
        [sys.executable, str(WORKER), command, url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer: dict[str, object] = json.loads(finished.stdout)
    return answer


def _load_worker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shallot_caching_dependency_worker", WORKER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_entries_and_invalidation_cross_processes_through_redis(
    redis: RedisServer, call: Call
) -> None:
    calls: list[str] = []
    cache = RedisCache(redis.url)
    app = CacheMiddleware(_load_worker().goods_app("test", calls), cache)
    assert call(app, "/goods").body == b"goods by test"
    assert calls == ["test"]
    # another process renders it once (each process learns which paths are cached) and stores
    served = _worker("serve", redis.url)
    assert served == {"calls": 1, "status": "200 OK", "body": "goods by worker"}
    # this process is served what the other stored, without running its handler
    assert call(app, "/goods").body == b"goods by worker"
    assert calls == ["test"]
    # a third process invalidates the dependency: this one renders again
    assert _worker("invalidate", redis.url) == {"invalidated": True}
    assert call(app, "/goods").body == b"goods by test"
    assert calls == ["test", "test"]
    assert call(app, "/goods").body == b"goods by test"
    assert calls == ["test", "test"]
    cache.close()
