"""MemoryCache: LRU bounds by entries and by bytes, expiry on its clock, thread safety."""

from __future__ import annotations

import threading

import pytest

from shallot.caching import CachedResponse, MemoryCache
from shallot.caching.memory_backend import approximate_size


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_least_recently_used_entries_go_first() -> None:
    cache = MemoryCache(max_entries=3)
    for key in "abc":
        cache.set(key, key)
    assert cache.get("a") == "a"  # now b is the least recently used
    cache.set("d", "d")
    assert len(cache) == 3
    assert cache.get("b") is None
    assert cache.get_multi("acd") == {"a": "a", "c": "c", "d": "d"}
    cache.incr("n", initial_value=0)
    assert cache.get("a") is None  # touched by get_multi before c and d: the oldest


def test_byte_bound() -> None:
    cache = MemoryCache(max_entries=None, max_bytes=10)
    cache.set("a", b"12345")
    cache.set("b", b"1234")
    assert cache.bytes_held == 9
    cache.set("c", b"123")
    assert cache.get("a") is None
    assert cache.bytes_held == 7
    assert not cache.set("huge", b"x" * 11)
    assert cache.get("huge") is None
    cache.set("b", b"x" * 11)  # too large now: the old value goes too
    assert cache.get("b") is None
    assert cache.set_multi({"d": b"1", "e": b"x" * 20}) == ["e"]
    assert cache.bytes_held == 4


def test_sizes() -> None:
    entry = CachedResponse("200 OK", (("A", "b"),), b"body")
    assert approximate_size(entry) == entry.size == 4 + 1 + 1 + 4
    assert approximate_size("abc") == 3
    assert approximate_size(12) > 0


def test_expiry_on_the_clock() -> None:
    clock = Clock()
    cache = MemoryCache(clock=clock, sweep_interval=100)
    cache.set("k", "v", time=10)
    cache.set("forever", "v")
    clock.now += 9.9
    assert cache.get("k") == "v"
    clock.now += 0.1
    assert cache.get("k") is None
    assert len(cache) == 1
    cache.set("k", "v", time=10)
    clock.now += 10
    assert not cache.delete("k")
    assert cache.add("k", "new", time=5)
    clock.now += 5
    assert cache.incr("k") is None
    cache.set("n", 1, time=1)
    clock.now += 1
    assert cache.incr("n", 1, initial_value=5) == 6


def test_sweep_drops_every_expired_entry() -> None:
    clock = Clock()
    cache = MemoryCache(clock=clock, sweep_interval=60)
    for index in range(5):
        cache.set(str(index), index, time=30)
    cache.set("kept", 1)
    clock.now += 61
    cache.set("trigger", 1)
    assert len(cache) == 2
    assert cache.bytes_held == approximate_size(1) * 2


def test_incr_of_a_non_integer() -> None:
    cache = MemoryCache()
    cache.set("text", "abc")
    with pytest.raises(TypeError, match="holds a str"):
        cache.incr("text")


def test_clear() -> None:
    cache = MemoryCache()
    cache.set_multi({"a": 1, "b": 2})
    cache.clear()
    assert (len(cache), cache.bytes_held, cache.get("a")) == (0, 0, None)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"max_entries": None}, "needs max_entries or max_bytes"),
        ({"max_entries": 0}, "max_entries must be a positive int"),
        ({"max_bytes": -1}, "max_bytes must be a positive int"),
        ({"max_entries": 1.5}, "max_entries must be a positive int"),
    ],
)
def test_bounds_are_checked(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MemoryCache(**arguments)  # type: ignore[arg-type]


def test_bounds_hold_under_threads() -> None:
    cache = MemoryCache(max_entries=50, max_bytes=400)
    errors: list[BaseException] = []

    def churn(worker: int) -> None:
        try:
            for index in range(500):
                key = f"{worker}-{index % 80}"
                cache.set(key, b"x" * (index % 9))
                cache.get(f"{(worker + 1) % 4}-{index % 80}")
                cache.delete(f"{worker}-{(index + 40) % 80}")
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=churn, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(cache) <= 50
    assert 0 <= cache.bytes_held <= 400
    assert cache.bytes_held == sum(
        approximate_size(cache.get(f"{w}-{i}") or b"") for w in range(4) for i in range(80)
    )
