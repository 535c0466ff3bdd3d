"""One racing process of the multi-process tests, run by ``runpy`` in a spawned process.

It is a script rather than an importable module because pytest's importlib mode gives test modules
names a spawned process cannot import. The parent passes ``worker_args`` (its index, a shared
barrier, its job queue and the result queue) as an initial global. Each job names a storage, a URL,
a depth and a scope: the worker opens the storage once, waits at the barrier so that all workers try
at the same moment, tries the lock, and reports the outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.locks import Depth, LockConflict, LockManager, LockStorage, SQLiteLockStorage

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Barrier

Job = tuple[str, str, str, str, bool]
"""``(storage kind, location, url, depth, exclusive)``; kind ``"sqlite"`` or ``"redis"``."""
Outcome = tuple[int, str, str]
"""``(worker index, url, "won" | "conflict" | "error: ...")``."""


def open_storage(kind: str, location: str) -> LockStorage:
    """The storage a job names."""
    if kind == "sqlite":
        return SQLiteLockStorage(location)
    from shallot.locks.redis import RedisLockStorage

    return RedisLockStorage.from_url(location)


def serve(index: int, barrier: Barrier, jobs: Queue[Job | None], results: Queue[Outcome]) -> None:
    """Run jobs until ``None`` arrives."""
    managers: dict[tuple[str, str], LockManager] = {}
    try:
        while (job := jobs.get()) is not None:
            kind, location, url, depth, exclusive = job
            manager = managers.get((kind, location))
            if manager is None:
                manager = managers[kind, location] = LockManager(open_storage(kind, location))
            barrier.wait(timeout=60)
            try:
                manager.lock(
                    url, depth=Depth(depth), exclusive=exclusive, principal=f"worker-{index}"
                )
                results.put((index, url, "won"))
            except LockConflict:
                results.put((index, url, "conflict"))
            except Exception as error:
                results.put((index, url, f"error: {error!r}"))
    finally:
        for manager in managers.values():
            manager.storage.close()


if __name__ == "__shallot_race_worker__":
    serve(**globals()["worker_args"])
