"""storage_from_state: memory, a SQLite folder, a real Redis."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from shallot.dav import ConfigError, storage_from_state
from shallot.locks import LockManager, MemoryLockStorage, SQLiteLockStorage
from shallot.props import MemoryPropertyStorage, PropertyManager, SQLitePropertyStorage

if TYPE_CHECKING:
    from pathlib import Path

    from shallot.testing import RedisServer


def test_memory() -> None:
    storages = storage_from_state("memory")
    assert isinstance(storages.locks, MemoryLockStorage)
    assert isinstance(storages.props, MemoryPropertyStorage)
    storages.close()


def test_folder_holds_two_sqlite_files_shared_by_reopening(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "deep"
    storages = storage_from_state(str(folder))
    assert isinstance(storages.locks, SQLiteLockStorage)
    assert isinstance(storages.props, SQLitePropertyStorage)
    lock = LockManager(storages.locks).lock("/a")
    PropertyManager(storages.props).patch("/a", set={"{urn:x}p": "<p xmlns='urn:x'/>"})
    storages.close()
    assert {"locks.sqlite", "props.sqlite"} <= {path.name for path in folder.iterdir()}
    again = storage_from_state(str(folder))
    assert LockManager(again.locks).get(lock.token) == lock
    assert PropertyManager(again.props).names("/a") == ["{urn:x}p"]
    again.close()


def test_folder_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError) as raised:
        storage_from_state(str(blocker))
    assert raised.value.field == "state"


def test_redis(redis: RedisServer) -> None:
    storages = storage_from_state(redis.url)
    lock = LockManager(storages.locks).lock("/a")
    PropertyManager(storages.props).patch("/a", set={"{urn:x}p": "<p xmlns='urn:x'/>"})
    storages.close()
    again = storage_from_state(redis.url)
    assert LockManager(again.locks).get(lock.token) == lock
    assert PropertyManager(again.props).names("/a") == ["{urn:x}p"]
    again.close()
