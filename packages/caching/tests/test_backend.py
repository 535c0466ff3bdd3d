"""The cache contract, run over every backend: memory, a real Redis, a real memcached."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest

from shallot.caching import Cache, CachedResponse
from shallot.http import ETag


def test_get_set_delete(backend: Cache) -> None:
    assert backend.get("k") is None
    assert backend.set("k", "value")
    assert backend.get("k") == "value"
    assert backend.set("k", b"replaced")
    assert backend.get("k") == b"replaced"
    assert backend.delete("k")
    assert not backend.delete("k")
    assert backend.get("k") is None


@pytest.mark.parametrize(
    "value",
    [
        0,
        -7,
        12345678901234567890,
        "",
        "caf\u00e9",
        b"\x00\xff",
        ["a", 1],
        {"x": (1, 2)},
        True,
        1.5,
        CachedResponse(
            "200 OK",
            (("Content-Type", "text/plain"), ("Content-Length", "2")),
            b"hi",
            ETag("t"),
            datetime(2024, 5, 1, tzinfo=timezone.utc),
        ),
    ],
)
def test_values_come_back_equal(backend: Cache, value: object) -> None:
    backend.set("value", value)
    found = backend.get("value")
    assert found == value
    assert type(found) is type(value)


def test_none_cannot_be_stored(backend: Cache) -> None:
    for store in (backend.set, backend.add):
        with pytest.raises(ValueError, match="None cannot be cached"):
            store("k", None)
    with pytest.raises(ValueError, match="None cannot be cached"):
        backend.set_multi({"a": 1, "k": None})


def test_keys_of_any_shape(backend: Cache) -> None:
    keys = ["GET Q=1 /a b", "caf\u00e9", "x" * 600, "tab\there", ":colon:", ""]
    for index, key in enumerate(keys):
        backend.set(key, index)
    assert [backend.get(key) for key in keys] == list(range(len(keys)))


def test_namespaces_are_apart(backend: Cache) -> None:
    backend.set("k", "none")
    backend.set("k", "one", namespace="one")
    backend.set("one:k", "prefixed")
    assert backend.get("k") == "none"
    assert backend.get("k", "one") == "one"
    assert backend.get("one:k") == "prefixed"
    assert backend.get("k", "two") is None
    backend.delete("k", "one")
    assert backend.get("k") == "none"
    assert backend.get("one:k") == "prefixed"


def test_multi(backend: Cache) -> None:
    assert backend.set_multi({"a": 1, "b": "two", "c": b"3"}, namespace="m") == []
    assert backend.get_multi(["a", "b", "x", "c"], "m") == {
        "a": 1,
        "b": "two",
        "c": b"3",
    }
    assert backend.get_multi([], "m") == {}
    assert backend.get_multi(["a"]) == {}
    assert backend.delete_multi(["a", "c", "missing"], "m")
    assert backend.get_multi(["a", "b", "c"], "m") == {"b": "two"}
    assert backend.set_multi({}) == []
    assert backend.delete_multi([])


def test_add_only_when_absent(backend: Cache) -> None:
    assert backend.add("k", "first")
    assert not backend.add("k", "second")
    assert backend.get("k") == "first"
    backend.delete("k")
    assert backend.add("k", "third")


def test_add_has_one_winner_among_threads(backend: Cache) -> None:
    barrier = threading.Barrier(8)
    wins: list[int] = []

    def contend(index: int) -> None:
        barrier.wait()
        if backend.add("prize", index):
            wins.append(index)

    threads = [threading.Thread(target=contend, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(wins) == 1
    assert backend.get("prize") == wins[0]


def test_incr(backend: Cache) -> None:
    assert backend.incr("n") is None
    assert backend.get("n") is None
    assert backend.incr("n", 1, initial_value=0) == 1
    assert backend.incr("n") == 2
    assert backend.incr("n", 10, initial_value=100) == 12
    assert backend.incr("n", 0) == 12
    assert backend.get("n") == 12
    assert backend.incr("fresh", 5, "ns", 10) == 15
    assert backend.get("fresh", "ns") == 15
    with pytest.raises(ValueError, match="delta of 0 or more"):
        backend.incr("n", -1)


def test_incr_is_atomic_across_threads(backend: Cache) -> None:
    def count() -> None:
        for _ in range(50):
            backend.incr("counter", 1, initial_value=0)

    threads = [threading.Thread(target=count) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert backend.get("counter") == 200


def test_entries_expire(backend: Cache) -> None:
    backend.set("short", "gone soon", time=1)
    backend.add("added", "gone soon", time=1)
    backend.set_multi({"multi": "gone soon"}, time=1)
    backend.set("long", "stays", time=600)
    backend.set("forever", "stays")
    assert backend.get("short") == "gone soon"
    time.sleep(2.1)
    assert backend.get_multi(["short", "added", "multi", "long", "forever"]) == {
        "long": "stays",
        "forever": "stays",
    }
    assert backend.add("short", "again")
    assert backend.incr("counter", 1, initial_value=0) == 1
