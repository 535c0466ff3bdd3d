"""The store contract, run against every store (memory, SQLite, the real Redis)."""

from __future__ import annotations

from shallot.sessions import SessionChanges, SessionStore

DAY = 86_400


def test_an_unknown_session_loads_as_none(store: SessionStore) -> None:
    assert store.load("nobody") is None


def test_saved_values_load_back(store: SessionStore) -> None:
    store.save("s1", SessionChanges({"user": '"ann"', "n": "1"}), DAY)
    assert store.load("s1") == {"user": '"ann"', "n": "1"}
    assert store.load("s2") is None


def test_a_save_changes_only_the_keys_it_names(store: SessionStore) -> None:
    store.save("s1", SessionChanges({"a": "1", "b": "2", "c": "3"}), DAY)
    store.save("s1", SessionChanges({"b": "20"}, frozenset({"c", "never-there"})), DAY)
    assert store.load("s1") == {"a": "1", "b": "20"}


def test_a_session_left_without_keys_is_removed(store: SessionStore) -> None:
    store.save("s1", SessionChanges({"a": "1"}), DAY)
    store.save("s1", SessionChanges({}, frozenset({"a"})), DAY)
    assert store.load("s1") is None
    store.save("s1", SessionChanges({"b": "2"}), DAY)
    assert store.load("s1") == {"b": "2"}


def test_a_save_without_changes_keeps_the_values(store: SessionStore) -> None:
    store.save("s1", SessionChanges({"a": "1"}), DAY)
    store.save("s1", SessionChanges({}), DAY)
    assert store.load("s1") == {"a": "1"}


def test_rotation_moves_the_data_and_applies_the_changes_at_once(store: SessionStore) -> None:
    store.save("old", SessionChanges({"a": "1", "b": "2"}), DAY)
    store.save("new", SessionChanges({"c": "3"}, frozenset({"b"}), previous_id="old"), DAY)
    assert store.load("new") == {"a": "1", "c": "3"}
    assert store.load("old") is None


def test_rotation_replaces_whatever_the_new_id_held(store: SessionStore) -> None:
    store.save("old", SessionChanges({"a": "1"}), DAY)
    store.save("new", SessionChanges({"stale": "1"}), DAY)
    store.save("new", SessionChanges({}, previous_id="old"), DAY)
    assert store.load("new") == {"a": "1"}


def test_rotation_from_an_unknown_id_stores_only_the_changes(store: SessionStore) -> None:
    store.save("new", SessionChanges({"c": "3"}, previous_id="gone"), DAY)
    assert store.load("new") == {"c": "3"}


def test_delete_removes_the_session_and_is_idempotent(store: SessionStore) -> None:
    store.save("s1", SessionChanges({"a": "1"}), DAY)
    store.save("s2", SessionChanges({"a": "2"}), DAY)
    store.delete("s1")
    store.delete("s1")
    assert store.load("s1") is None
    assert store.load("s2") == {"a": "2"}


def test_keys_and_values_keep_any_text(store: SessionStore) -> None:
    values = {"ключ": '"значение"', "": '""', "a:b": '{"x":[1,2]}', "sp ace": '"\\u0000"'}
    store.save("s1", SessionChanges(values), DAY)
    assert store.load("s1") == values
