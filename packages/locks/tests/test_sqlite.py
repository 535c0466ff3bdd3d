"""SQLiteLockStorage: one WAL file that survives restarts and serves several processes at once."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from typing import TYPE_CHECKING

import pytest

from shallot.locks import LockConflict, LockManager, SQLiteLockStorage
from shallot.locks.sqlite import PAGE_SIZE, PURGE_INTERVAL, SCHEMA_VERSION

if TYPE_CHECKING:
    from pathlib import Path

    from packages.locks.tests.conftest import FakeClock, RacePool

WORKERS = 8

ROUNDS = 100


def test_locks_survive_a_restart(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "state" / "locks.sqlite3"
    path.parent.mkdir()
    before = SQLiteLockStorage(path)
    lock = LockManager(before, clock=clock).lock("/docs", owner="<o>ann</o>", principal="ann")
    before.close()

    after = SQLiteLockStorage(str(path))
    manager = LockManager(after, clock=clock)
    assert manager.get(lock.token) == lock
    with pytest.raises(LockConflict):
        manager.lock("/docs/file", principal="bob")
    manager.unlock("/docs", lock.token, principal="ann")
    after.close()
    assert LockManager(SQLiteLockStorage(path), clock=clock).discover("/docs") == []


def test_opening_a_fresh_file_waits_for_a_writer(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "locks.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE other (x)")
    committer = threading.Timer(0.2, holder.execute, ("COMMIT",))
    committer.start()
    storage = SQLiteLockStorage(path, busy_timeout=30)
    lock = LockManager(storage, clock=clock).lock("/docs")
    committer.join()
    holder.close()
    storage.close()
    reopened = SQLiteLockStorage(path)
    assert LockManager(reopened, clock=clock).get(lock.token) == lock
    reopened.close()


def test_opening_gives_up_after_its_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "locks.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE other (x)")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        SQLiteLockStorage(path, busy_timeout=0.1)
    holder.execute("COMMIT")
    holder.close()


def test_the_file_is_in_wal_mode(tmp_path: Path) -> None:
    SQLiteLockStorage(tmp_path / "locks.sqlite3").close()
    with sqlite3.connect(tmp_path / "locks.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_expired_locks_are_purged_by_the_next_lock(tmp_path: Path, clock: FakeClock) -> None:
    storage = SQLiteLockStorage(tmp_path / "locks.sqlite3")
    manager = LockManager(storage, clock=clock)
    for n in range(5):
        manager.lock(f"/old/{n}", timeout=10)
    clock.advance(10)
    manager.lock("/new", timeout=10)
    with sqlite3.connect(tmp_path / "locks.sqlite3") as db:
        assert db.execute("SELECT root FROM locks").fetchall() == [("/new",)]
    storage.close()


def test_expired_locks_wait_for_the_purge_interval_but_stay_invisible(
    tmp_path: Path, clock: FakeClock
) -> None:
    storage = SQLiteLockStorage(tmp_path / "locks.sqlite3")
    manager = LockManager(storage, clock=clock)
    old = manager.lock("/old", timeout=5)
    clock.advance(5)
    manager.lock("/new", timeout=60)
    assert manager.get(old.token) is None
    assert manager.discover("/old") == []
    with sqlite3.connect(tmp_path / "locks.sqlite3") as db:
        assert sorted(db.execute("SELECT root FROM locks")) == [("/new",), ("/old",)]
    clock.advance(PURGE_INTERVAL)
    manager.lock("/newer", timeout=60)
    with sqlite3.connect(tmp_path / "locks.sqlite3") as db:
        assert sorted(db.execute("SELECT root FROM locks")) == [("/new",), ("/newer",)]
    storage.close()


def test_a_new_file_has_small_pages_and_one_tree_per_lock(tmp_path: Path) -> None:
    SQLiteLockStorage(tmp_path / "locks.sqlite3").close()
    with sqlite3.connect(tmp_path / "locks.sqlite3") as db:
        assert db.execute("PRAGMA page_size").fetchone() == (PAGE_SIZE,)
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        names = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        assert names == {"locks", "locks_root"}
        (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'locks'").fetchone()
        assert sql.endswith("WITHOUT ROWID")


def test_a_file_of_the_first_layout_is_converted_with_its_locks(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "locks.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE locks (token TEXT PRIMARY KEY, root TEXT NOT NULL, depth TEXT NOT NULL,"
            " scope TEXT NOT NULL, owner TEXT, principal TEXT, timeout INTEGER, expires_at REAL)"
        )
        db.execute("CREATE INDEX locks_root ON locks (root)")
        db.execute("CREATE INDEX locks_expires_at ON locks (expires_at)")
        db.execute(
            "INSERT INTO locks VALUES ('urn:uuid:1', '/docs', 'infinity', 'exclusive',"
            " '<o>ann</o>', 'ann', 100, ?)",
            (clock.now + 100,),
        )
    db.close()
    storage = SQLiteLockStorage(path)
    manager = LockManager(storage, clock=clock)
    [kept] = manager.discover("/docs/file")
    assert (kept.token, kept.principal, kept.owner) == ("urn:uuid:1", "ann", "<o>ann</o>")
    with pytest.raises(LockConflict):
        manager.lock("/docs/file", principal="bob")
    storage.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        names = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        assert names == {"locks", "locks_root"}
    db.close()
    reopened = SQLiteLockStorage(path)
    assert LockManager(reopened, clock=clock).get("urn:uuid:1") == kept
    reopened.close()


def test_a_failed_create_leaves_the_old_state(tmp_path: Path, clock: FakeClock) -> None:
    storage = SQLiteLockStorage(tmp_path / "locks.sqlite3")
    manager = LockManager(storage, clock=clock)
    live = manager.lock("/live", timeout=100)
    manager.lock("/expired", timeout=10)
    clock.advance(20)
    duplicate = dataclasses.replace(live, root="/elsewhere")
    with pytest.raises(sqlite3.IntegrityError):
        storage.create(duplicate, clock.now)
    with sqlite3.connect(tmp_path / "locks.sqlite3") as db:
        assert sorted(db.execute("SELECT root FROM locks")) == [("/expired",), ("/live",)]
    assert manager.get(live.token) == live
    storage.close()


def test_processes_racing_for_one_url_have_one_winner(race_pool: RacePool, tmp_path: Path) -> None:
    path = tmp_path / "locks.sqlite3"
    storage = SQLiteLockStorage(path)
    manager = LockManager(storage)
    for round_ in range(ROUNDS):
        url = f"/race/{round_}"
        outcomes = race_pool.exclusive_race("sqlite", str(path), url)
        assert sorted(outcomes.values()) == ["conflict"] * (WORKERS - 1) + ["won"], outcomes
        winner = next(index for index, outcome in outcomes.items() if outcome == "won")
        assert [lock.principal for lock in manager.discover(url)] == [f"worker-{winner}"]
    storage.close()


def test_a_collection_lock_racing_its_members_never_overlaps(
    race_pool: RacePool, tmp_path: Path
) -> None:
    path = tmp_path / "locks.sqlite3"
    storage = SQLiteLockStorage(path)
    for round_ in range(ROUNDS):
        tree = f"/tree/{round_}"
        collector = round_ % WORKERS
        outcomes = race_pool.tree_race("sqlite", str(path), tree, collector)
        collection = outcomes.pop(collector)
        members = set(outcomes.values())
        assert (collection, members) in [("won", {"conflict"}), ("conflict", {"won"})], outcomes
        stored = storage.find(tree, 0.0, below=True)
        assert len(stored) == (1 if collection == "won" else WORKERS - 1)
    storage.close()
