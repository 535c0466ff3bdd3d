"""RedisLockStorage on a real redis-server: key TTLs, a self-cleaning index, racing processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest
import redis as redis_client

from shallot.locks import Depth, LockConflict, LockManager
from shallot.locks.redis import RedisLockStorage

if TYPE_CHECKING:
    from collections.abc import Iterator

    from packages.locks.tests.conftest import FakeClock, RacePool
    from shallot.testing import RedisServer

WORKERS = 8
ROUNDS = 100
PREFIX = "shallot:locks:"


@pytest.fixture
def storage(redis: RedisServer) -> Iterator[RedisLockStorage]:
    """A Redis storage on the session's server, flushed."""
    opened = RedisLockStorage.from_url(redis.url)
    yield opened
    opened.close()


def test_a_lock_key_expires_by_itself(
    storage: RedisLockStorage, redis: RedisServer, clock: FakeClock
) -> None:
    manager = LockManager(storage, clock=clock)
    lock = manager.lock("/a", timeout=60)
    ttl = int(redis.command("PTTL", PREFIX + "lock:" + lock.token).lstrip(b":"))
    assert 60_000 < ttl <= 61_000
    refreshed = manager.refresh(lock.token, timeout=600)
    ttl = int(redis.command("PTTL", PREFIX + "lock:" + refreshed.token).lstrip(b":"))
    assert 600_000 < ttl <= 601_000


def test_an_infinite_lock_key_has_no_ttl(
    storage: RedisLockStorage, redis: RedisServer, clock: FakeClock
) -> None:
    manager = LockManager(storage, max_timeout=None, clock=clock)
    lock = manager.lock("/a")
    assert redis.command("PTTL", PREFIX + "lock:" + lock.token) == b":-1"
    timed = manager.lock("/b", timeout=60)
    manager.refresh(timed.token)
    assert redis.command("PTTL", PREFIX + "lock:" + timed.token) == b":-1"


def test_readers_drop_expired_locks_and_their_index(
    storage: RedisLockStorage, redis: RedisServer, clock: FakeClock
) -> None:
    manager = LockManager(storage, clock=clock)
    lock = manager.lock("/a/b", timeout=10)
    assert redis.command("ZCARD", PREFIX + "roots") == b":1"
    clock.advance(10)
    assert manager.discover("/a/b") == []
    assert redis.command("EXISTS", PREFIX + "lock:" + lock.token) == b":0"
    assert redis.command("EXISTS", PREFIX + "at:/a/b") == b":0"
    assert redis.command("ZCARD", PREFIX + "roots") == b":0"


def test_a_key_deleted_by_its_ttl_leaves_no_lock_behind(
    storage: RedisLockStorage, redis: RedisServer, clock: FakeClock
) -> None:
    manager = LockManager(storage, clock=clock)
    lock = manager.lock("/a", timeout=60)
    redis.command("DEL", PREFIX + "lock:" + lock.token)
    assert manager.discover("/a") == []
    assert manager.lock("/a").root == "/a"
    assert storage.release(lock.token, "/a", None, clock()) is False


def test_prefixes_keep_lock_spaces_apart(redis: RedisServer) -> None:
    first = LockManager(RedisLockStorage.from_url(redis.url, prefix="one:"))
    second = LockManager(RedisLockStorage.from_url(redis.url, prefix="two:"))
    first.lock("/a")
    second.lock("/a")
    with pytest.raises(LockConflict):
        first.lock("/a")
    first.storage.close()
    second.storage.close()


def test_a_client_decoding_responses_works_too(redis: RedisServer) -> None:
    client = redis_client.Redis.from_url(redis.url, decode_responses=True)
    manager = LockManager(RedisLockStorage(client))
    lock = manager.lock("/ä/", owner="<o>Änn</o>", principal="änn")
    assert manager.get(lock.token) == lock
    assert manager.discover("/%C3%A4/x") == [lock]
    client.close()


def test_the_base_package_never_imports_the_client() -> None:
    script = textwrap.dedent(
        """
        import sys

        class NoRedis:
            def find_spec(self, name, path=None, target=None):
                if name == "redis" or name.startswith("redis."):
                    raise ImportError("redis is not installed")
                return None

        sys.meta_path.insert(0, NoRedis())
        import shallot.locks
        assert "redis" not in sys.modules
        try:
            import shallot.locks.redis
        except ImportError as error:
            print(error)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "pip install 'shallot-locks[redis]'" in done.stdout


def test_processes_racing_for_one_url_have_one_winner(
    race_pool: RacePool, storage: RedisLockStorage, redis: RedisServer
) -> None:
    manager = LockManager(storage)
    for round_ in range(ROUNDS):
        url = f"/race/{round_}"
        outcomes = race_pool.exclusive_race("redis", redis.url, url)
        assert sorted(outcomes.values()) == ["conflict"] * (WORKERS - 1) + ["won"], outcomes
        winner = next(index for index, outcome in outcomes.items() if outcome == "won")
        assert [lock.principal for lock in manager.discover(url)] == [f"worker-{winner}"]


def test_a_collection_lock_racing_its_members_never_overlaps(
    race_pool: RacePool, storage: RedisLockStorage, redis: RedisServer
) -> None:
    for round_ in range(ROUNDS):
        tree = f"/tree/{round_}"
        collector = round_ % WORKERS
        outcomes = race_pool.tree_race("redis", redis.url, tree, collector)
        collection = outcomes.pop(collector)
        members = set(outcomes.values())
        assert (collection, members) in [("won", {"conflict"}), ("conflict", {"won"})], outcomes
        stored = storage.find(tree, 0.0, below=True)
        assert len(stored) == (1 if collection == "won" else WORKERS - 1)
        assert all(lock.depth is Depth.ZERO for lock in stored) is (collection == "conflict")
