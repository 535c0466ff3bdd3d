"""Replay protection in memory: counts must grow per nonce; bounded, yet never allowing a replay."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

from shallot.auth.nonce_counts import MemoryNonceCounter

if TYPE_CHECKING:
    from packages.auth.tests.conftest import FakeClock


def test_counts_must_grow(clock: FakeClock) -> None:
    counter = MemoryNonceCounter(clock=clock)
    expires = clock.now + 60
    assert counter.record("n1", 1, clock.now, expires)
    assert not counter.record("n1", 1, clock.now, expires)
    assert counter.record("n1", 2, clock.now, expires)
    assert counter.record("n1", 7, clock.now, expires)
    assert not counter.record("n1", 5, clock.now, expires)
    assert not counter.record("n1", 7, clock.now, expires)


def test_nonces_are_counted_apart(clock: FakeClock) -> None:
    counter = MemoryNonceCounter(clock=clock)
    assert counter.record("n1", 1, clock.now, clock.now + 60)
    assert counter.record("n2", 1, clock.now, clock.now + 60)
    assert len(counter) == 2


def test_expired_nonces_are_forgotten(clock: FakeClock) -> None:
    counter = MemoryNonceCounter(clock=clock)
    counter.record("old", 1, clock.now, clock.now + 10)
    clock.advance(11)
    counter.record("new", 1, clock.now, clock.now + 10)
    assert len(counter) == 1


def test_the_bound_never_lets_a_forgotten_nonce_start_over(clock: FakeClock) -> None:
    counter = MemoryNonceCounter(max_nonces=2, clock=clock)
    expires = clock.now + 600
    counter.record("a", 1, clock.now, expires)
    clock.advance(1)
    counter.record("b", 1, clock.now, expires)
    clock.advance(1)
    counter.record("c", 1, clock.now, expires)
    assert len(counter) == 2
    # "a" was forgotten: replaying its first request must still fail...
    assert not counter.record("a", 1, clock.now - 2, expires)
    # ...and so must any unseen nonce issued no later than it; newer ones are fine.
    assert not counter.record("older", 1, clock.now - 3, expires)
    assert counter.record("newer", 1, clock.now, expires)
    # Remembering "newer" pushed "b" out in turn: its next count is refused, not trusted.
    assert len(counter) == 2
    assert not counter.record("b", 2, clock.now - 1, expires)
    assert counter.record("c", 2, clock.now, expires)


def test_max_nonces_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_nonces"):
        MemoryNonceCounter(max_nonces=0)


def test_racing_threads_accept_each_count_at_most_once(clock: FakeClock) -> None:
    counter = MemoryNonceCounter(clock=clock)
    threads = 8
    barrier = threading.Barrier(threads)
    accepted: list[int] = []
    lock = threading.Lock()

    def attempt() -> None:
        barrier.wait()
        for nc in range(1, 201):
            if counter.record("shared", nc, clock.now, clock.now + 60):
                with lock:
                    accepted.append(nc)

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(accepted) == len(set(accepted))
    assert 200 in accepted
    assert not counter.record("shared", 200, clock.now, clock.now + 60)
