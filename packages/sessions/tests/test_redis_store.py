from __future__ import annotations

import time
from typing import TYPE_CHECKING

import redis as redis_client

from shallot.http import Request
from shallot.sessions import RedisSessionStore, ServerSession, SessionChanges

if TYPE_CHECKING:
    from collections.abc import Callable

    from shallot.testing import RedisServer

SECRET = "concurrent writers"  # the workers' secret


def test_each_session_is_one_hash_with_redis_expiry(redis: RedisServer) -> None:
    client = redis_client.Redis.from_url(redis.url, decode_responses=True)
    store = RedisSessionStore(client, prefix="app:")
    store.save("s", SessionChanges({"a": "1"}), 60)
    assert client.hgetall("app:s") == {"a": "1"}
    assert 59_000 < client.pttl("app:s") <= 60_000
    assert store.load("s") == {"a": "1"}  # a decoding client works too
    store.close()
    assert client.ping()  # a client we passed stays open
    client.close()


def test_a_session_expires_in_redis(redis: RedisServer) -> None:
    with RedisSessionStore.from_url(redis.url) as store:
        store.save("s", SessionChanges({"a": "1"}), 0.2)
        assert store.load("s") == {"a": "1"}
        time.sleep(0.4)
        assert store.load("s") is None
        store.save("s", SessionChanges({"b": "2"}), 60)
        assert store.load("s") == {"b": "2"}


def test_a_save_restarts_the_expiry(redis: RedisServer) -> None:
    client = redis_client.Redis.from_url(redis.url)
    with RedisSessionStore(client) as store:
        store.save("s", SessionChanges({"a": "1"}), 5)
        store.save("s", SessionChanges({}), 500)
        assert client.pttl("shallot:session:s") > 5_000
    client.close()


def test_concurrent_processes_never_lose_each_other_s_keys(
    redis: RedisServer, run_writers: Callable[[str, str, int, int], None]
) -> None:
    with RedisSessionStore.from_url(redis.url) as store:
        session = ServerSession(store, secret_key=SECRET)
        session["started"] = True
        cookie = session.write().split(";")[0].split("=", 1)[1]
        session_id = session.id
    writers, steps = 4, 25
    run_writers(f"redis:{redis.url}", cookie, writers, steps)
    with RedisSessionStore.from_url(redis.url) as store:
        after = ServerSession(store, secret_key=SECRET)
        after.load(Request({"HTTP_COOKIE": f"SESSID={cookie}"}))
        assert after.id == session_id
        expected = {f"w{w}-{s}": s for w in range(writers) for s in range(steps)}
        assert {key: after[key] for key in expected} == expected
        assert after["last"] in {f"{w}-{steps - 1}" for w in range(writers)}
        assert len(after) == len(expected) + 2
