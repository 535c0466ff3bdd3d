from __future__ import annotations

from shallot.sessions import MemorySessionStore, SessionChanges


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_expires_ttl_seconds_after_its_last_save() -> None:
    clock = Clock()
    store = MemorySessionStore(clock=clock)
    store.save("s", SessionChanges({"a": "1"}), 10)
    clock.now += 9
    store.save("s", SessionChanges({}), 10)
    clock.now += 9.9
    assert store.load("s") == {"a": "1"}
    clock.now += 0.1
    assert store.load("s") is None
    assert len(store) == 0


def test_an_expired_session_is_not_revived_by_a_save() -> None:
    clock = Clock()
    store = MemorySessionStore(clock=clock)
    store.save("s", SessionChanges({"a": "1"}), 10)
    clock.now += 10
    store.save("s", SessionChanges({"b": "2"}), 10)
    assert store.load("s") == {"b": "2"}


def test_expired_sessions_are_purged_while_saving() -> None:
    clock = Clock()
    store = MemorySessionStore(clock=clock, purge_interval=60)
    for index in range(5):
        store.save(f"s{index}", SessionChanges({"a": "1"}), 10)
    clock.now += 61
    store.save("fresh", SessionChanges({"a": "1"}), 10)
    assert len(store) == 1
    store.save("late", SessionChanges({"a": "1"}), 5)
    clock.now += 5
    assert store.purge_expired() == 1


def test_loads_are_copies() -> None:
    store = MemorySessionStore()
    store.save("s", SessionChanges({"a": "1"}), 10)
    loaded = store.load("s")
    assert loaded is not None
    loaded["b"] = "2"
    assert store.load("s") == {"a": "1"}
    store.close()
    assert store.load("s") is None
