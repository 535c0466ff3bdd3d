"""RedisNonceCounter against the real redis-server: atomic counts, expiry, several processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import redis as redis_client
import requests

from shallot.auth.redis import RedisNonceCounter

if TYPE_CHECKING:
    from collections.abc import Iterator

    from packages.auth.tests.conftest import FakeClock, Kit
    from shallot.testing import RedisServer

SERVER_SCRIPT = Path(__file__).with_name("server_process.py")
SECRET = "one secret for every server process"


@pytest.fixture
def counter(redis: RedisServer, clock: FakeClock) -> RedisNonceCounter:
    return RedisNonceCounter.from_url(redis.url, clock=clock)


def test_counts_must_grow(counter: RedisNonceCounter, clock: FakeClock) -> None:
    expires = clock.now + 60
    assert counter.record("n1", 1, clock.now, expires)
    assert not counter.record("n1", 1, clock.now, expires)
    assert counter.record("n1", 3, clock.now, expires)
    assert not counter.record("n1", 2, clock.now, expires)
    assert counter.record("n2", 1, clock.now, expires)


def test_keys_expire_with_their_nonce(
    counter: RedisNonceCounter, redis: RedisServer, clock: FakeClock
) -> None:
    counter.record("n1", 1, clock.now, clock.now + 90)
    client = redis_client.Redis.from_url(redis.url)
    try:
        ttl = client.pttl("shallot:auth:nc:n1")
        assert 89_000 < ttl <= 90_000
        assert client.get("shallot:auth:nc:n1") == b"1"
    finally:
        client.close()


def test_prefixes_keep_applications_apart(redis: RedisServer, clock: FakeClock) -> None:
    first = RedisNonceCounter.from_url(redis.url, prefix="app1:", clock=clock)
    second = RedisNonceCounter.from_url(redis.url, prefix="app2:", clock=clock)
    assert first.record("n", 1, clock.now, clock.now + 60)
    assert second.record("n", 1, clock.now, clock.now + 60)
    assert not first.record("n", 1, clock.now, clock.now + 60)


RACER = """
import sys, time
from shallot.auth.redis import RedisNonceCounter
counter = RedisNonceCounter.from_url(sys.argv[1])
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
now = time.time()
accepted = [nc for nc in range(1, 301) if counter.record("raced", nc, now, now + 60)]
print(" ".join(map(str, accepted)))
"""


def test_processes_accept_each_count_at_most_once(redis: RedisServer) -> None:
    import time

    start = time.time() + 1.5
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, redis.url, str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    accepted: list[int] = []
    for racer in racers:
        out, _ = racer.communicate(timeout=60)
        assert racer.returncode == 0
        accepted.extend(int(nc) for nc in out.split())
    assert len(accepted) == len(set(accepted))
    assert 300 in accepted


@pytest.fixture
def two_servers(redis: RedisServer) -> Iterator[tuple[str, str]]:
    """Two server processes with one secret and one Redis."""
    processes = [
        subprocess.Popen(
            [sys.executable, str(SERVER_SCRIPT), redis.url, SECRET],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        urls = []
        for process in processes:
            assert process.stdout is not None
            urls.append(process.stdout.readline().strip())
        assert all(url.startswith("http://127.0.0.1:") for url in urls), urls
        yield urls[0], urls[1]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
            if process.stdout is not None:
                process.stdout.close()


def test_a_replay_at_another_process_is_refused(two_servers: tuple[str, str], kit: Kit) -> None:
    first, second = two_servers
    challenge = requests.get(first + "/a", timeout=10).headers["WWW-Authenticate"]
    header = kit.digest_authorization(challenge, "alice", "secret", uri="/a", nc=1)
    assert requests.get(first + "/a", headers={"Authorization": header}, timeout=10).text == (
        "hello alice"
    )
    replayed = requests.get(second + "/a", headers={"Authorization": header}, timeout=10)
    assert replayed.status_code == 401
    assert "stale=true" in replayed.headers["WWW-Authenticate"]
    following = kit.digest_authorization(challenge, "alice", "secret", uri="/a", nc=2)
    answer = requests.get(second + "/a", headers={"Authorization": following}, timeout=10)
    assert answer.text == "hello alice"
    back = requests.get(first + "/a", headers={"Authorization": following}, timeout=10)
    assert back.status_code == 401


def test_a_client_moves_between_processes(two_servers: tuple[str, str]) -> None:
    first, second = two_servers
    with requests.Session() as session:
        session.auth = requests.auth.HTTPDigestAuth("alice", "secret")
        for base in (first, second, first, second):
            answer = session.get(base + "/a", timeout=10)
            assert (answer.status_code, answer.text) == (200, "hello alice")
