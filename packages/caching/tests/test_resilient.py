"""ResilientCache: a failing backend answers as an empty cache, with one warning per outage."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest

from shallot.caching import MemoryCache, RedisCache, ResilientCache, resilient
from shallot.testing import free_port

if TYPE_CHECKING:
    from collections.abc import Callable

    from shallot.caching import Cache


class SwitchedCache(MemoryCache):
    """A memory cache whose ``get`` and ``set`` fail while ``down``, counting the attempts."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self.attempts = 0

    def get(self, key: str, namespace: str | None = None) -> object | None:
        self.attempts += 1
        if self.down:
            raise ConnectionError("backend down")
        return super().get(key, namespace)

    def set(self, key: str, value: object, time: int = 0, namespace: str | None = None) -> bool:
        self.attempts += 1
        if self.down:
            raise ConnectionError("backend down")
        return super().set(key, value, time, namespace)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_every_operation_of_an_unreachable_backend_is_a_miss(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    backend = RedisCache(f"redis://127.0.0.1:{free_port()}/0")
    request.addfinalizer(backend.close)
    cache = ResilientCache(backend, retry_after=0)
    answers: list[Callable[[], object]] = [
        lambda: cache.get("k"),
        lambda: cache.get_multi(["a", "b"]),
        lambda: cache.set("k", 1),
        lambda: cache.set_multi({"a": 1, "b": 2}),
        lambda: cache.add("k", 1),
        lambda: cache.incr("k", 1, initial_value=0),
        lambda: cache.delete("k"),
        lambda: cache.delete_multi(["k"]),
    ]
    with caplog.at_level(logging.INFO, logger="shallot.caching"):
        results = [answer() for answer in answers]
    assert results == [None, {}, False, ["a", "b"], False, None, False, False]
    assert cache.failing
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "answering as an empty cache" in warnings[0].getMessage()


def test_skips_the_backend_after_a_failure_then_recovers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    backend = SwitchedCache()
    clock = Clock()
    cache = ResilientCache(backend, retry_after=5, clock=clock)
    cache.set("k", "v")
    backend.down = True
    with caplog.at_level(logging.INFO, logger="shallot.caching"):
        assert cache.get("k") is None
        attempts = backend.attempts
        for _ in range(10):
            assert cache.get("k") is None
            assert not cache.set("k", "w")
        assert backend.attempts == attempts  # not called again within retry_after
        clock.now += 5
        assert cache.get("k") is None  # tried once more, still down
        assert backend.attempts == attempts + 1
        backend.down = False
        clock.now += 5
        assert cache.get("k") == "v"
    assert not cache.failing
    levels = [record.levelno for record in caplog.records]
    assert levels == [logging.WARNING, logging.INFO]
    assert "answers again" in caplog.records[-1].getMessage()


def test_the_callers_mistakes_still_raise() -> None:
    cache = ResilientCache(SwitchedCache())
    with pytest.raises(ValueError, match="None cannot be cached"):
        cache.set("k", None)
    with pytest.raises(ValueError, match="delta"):
        cache.incr("k", -1)
    assert not cache.failing


def test_working_backend_answers_pass_through() -> None:
    cache = ResilientCache(MemoryCache())
    assert cache.set_multi({"a": 1}) == []
    assert cache.add("b", 2)
    assert cache.get_multi(["a", "b"]) == {"a": 1, "b": 2}
    assert cache.incr("a") == 2
    assert cache.delete("a")
    assert cache.delete_multi(["b"])
    assert "MemoryCache" in repr(cache)


def test_resilient_wraps_only_what_can_fail(request: pytest.FixtureRequest) -> None:
    memory = MemoryCache()
    assert resilient(memory) is memory
    wrapped = ResilientCache(memory)
    assert resilient(wrapped) is wrapped
    shared = RedisCache(f"redis://127.0.0.1:{free_port()}/0")
    request.addfinalizer(shared.close)
    guarded: Cache = resilient(shared)
    assert isinstance(guarded, ResilientCache)
    assert guarded.cache is shared
