"""MemoryLockStorage specifics: expired locks are purged lazily, so memory does not fill up."""

from __future__ import annotations

from shallot.locks import LockManager, MemoryLockStorage


def test_expired_locks_leave_memory_on_the_next_operation() -> None:
    now = [1_000.0]
    storage = MemoryLockStorage()
    manager = LockManager(storage, clock=lambda: now[0])
    for n in range(100):
        manager.lock(f"/old/{n}", timeout=10)
    refreshed = manager.lock("/refreshed", timeout=10)
    manager.refresh(refreshed.token, timeout=1000)
    now[0] += 10
    manager.discover("/")
    # White-box: the records and the URL index hold only what is still live.
    assert set(storage._locks) == {refreshed.token}
    assert storage._roots == ["/refreshed"]
    assert storage._expiries == [(now[0] + 990, refreshed.token)]
