from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import pytest

from shallot.http import Request
from shallot.sessions import IncompatibleStore, ServerSession, SessionChanges, SQLiteSessionStore

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

SECRET = "concurrent writers"  # the workers' secret


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_sessions_outlive_the_connection(tmp_path: Path) -> None:
    with SQLiteSessionStore(tmp_path / "s.sqlite") as store:
        store.save("s", SessionChanges({"a": "1"}), 60)
    with SQLiteSessionStore(tmp_path / "s.sqlite") as store:
        assert store.load("s") == {"a": "1"}
        (mode,) = store._connection.execute("PRAGMA journal_mode").fetchone()
        assert mode == "wal"


def test_expiry_and_purge(tmp_path: Path) -> None:
    clock = Clock()
    with SQLiteSessionStore(tmp_path / "s.sqlite", clock=clock, purge_interval=60) as store:
        store.save("s", SessionChanges({"a": "1", "b": "2"}), 10)
        store.save("t", SessionChanges({"a": "1"}), 100)
        clock.now += 10
        assert store.load("s") is None
        assert store.load("t") == {"a": "1"}
        store.save("s", SessionChanges({"c": "3"}), 10)
        assert store.load("s") == {"c": "3"}  # the expired values did not come back
        clock.now += 10
        store.save("u", SessionChanges({"a": "1"}), 5)
        clock.now += 5
        assert store.purge_expired() == 2
        rows = store._connection.execute("SELECT count(*) FROM session_values").fetchone()
        assert rows == (1,)


def test_rotation_from_an_expired_session_does_not_move_its_data(tmp_path: Path) -> None:
    clock = Clock()
    with SQLiteSessionStore(tmp_path / "s.sqlite", clock=clock) as store:
        store.save("old", SessionChanges({"a": "1"}), 10)
        clock.now += 10
        store.save("new", SessionChanges({"b": "2"}, previous_id="old"), 10)
        assert store.load("new") == {"b": "2"}


def test_saves_are_purged_periodically(tmp_path: Path) -> None:
    clock = Clock()
    with SQLiteSessionStore(tmp_path / "s.sqlite", clock=clock, purge_interval=60) as store:
        store.save("s", SessionChanges({"a": "1"}), 10)
        clock.now += 61
        store.save("t", SessionChanges({"a": "1"}), 10)
        ids = store._connection.execute("SELECT id FROM sessions").fetchall()
        assert ids == [("t",)]


def test_a_failed_save_leaves_the_old_state(tmp_path: Path) -> None:
    with SQLiteSessionStore(tmp_path / "s.sqlite") as store:
        store.save("s", SessionChanges({"a": "1"}), 60)
        bad = SessionChanges({"b": "2", "c": None})  # type: ignore[dict-item]  # NOT NULL fails
        with pytest.raises(sqlite3.IntegrityError):
            store.save("s", bad, 60)
        assert store.load("s") == {"a": "1"}


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 7")
    connection.close()
    with pytest.raises(IncompatibleStore) as caught:
        SQLiteSessionStore(path)
    assert caught.value.version == 7


def test_concurrent_processes_never_lose_each_other_s_keys(
    tmp_path: Path, run_writers: Callable[[str, str, int, int], None]
) -> None:
    path = tmp_path / "shared.sqlite"
    with SQLiteSessionStore(path) as store:
        session = ServerSession(store, secret_key=SECRET)
        session["started"] = True
        cookie = session.write().split(";")[0].split("=", 1)[1]
        session_id = session.id
    writers, steps = 4, 25
    run_writers(f"sqlite:{path}", cookie, writers, steps)
    with SQLiteSessionStore(path) as store:
        after = ServerSession(store, secret_key=SECRET)
        after.load(Request({"HTTP_COOKIE": f"SESSID={cookie}"}))
        assert after.id == session_id
        expected = {f"w{w}-{s}": s for w in range(writers) for s in range(steps)}
        assert {key: after[key] for key in expected} == expected
        assert after["last"] in {f"{w}-{steps - 1}" for w in range(writers)}
        assert len(after) == len(expected) + 2
