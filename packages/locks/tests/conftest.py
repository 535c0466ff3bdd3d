"""Shared fixtures: every storage behind one parametrised fixture, a hand-moved clock, racers."""

from __future__ import annotations

import multiprocessing
import runpy
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shallot.locks import LockManager, LockStorage, MemoryLockStorage, SQLiteLockStorage

if TYPE_CHECKING:
    from collections.abc import Iterator
    from multiprocessing.queues import Queue

    from shallot.testing import RedisServer

STORAGES = ["memory", "sqlite", "redis"]
WORKERS = 8
WORKER_SCRIPT = Path(__file__).with_name("race_worker.py")

Job = tuple[str, str, str, str, bool]
"""A racing worker's job (as in ``race_worker.py``): kind, location, url, depth, exclusive."""


class FakeClock:
    """A clock the test moves by hand, so expiry is tested without sleeping."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def open_storage(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> LockStorage:
    """A fresh, empty storage of ``kind``; Redis is the session's real server, flushed."""
    if kind == "memory":
        return MemoryLockStorage()
    if kind == "sqlite":
        return SQLiteLockStorage(tmp_path / "locks.sqlite3")
    from shallot.locks.redis import RedisLockStorage

    server: RedisServer = request.getfixturevalue("redis")
    return RedisLockStorage.from_url(server.url)


@pytest.fixture(params=STORAGES)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LockStorage]:
    """Each storage in turn, empty."""
    opened = open_storage(request.param, tmp_path, request)
    yield opened
    opened.close()


@pytest.fixture
def clock() -> FakeClock:
    """The hand-moved clock."""
    return FakeClock()


@pytest.fixture
def manager(storage: LockStorage, clock: FakeClock) -> LockManager:
    """A manager over each storage in turn, on the hand-moved clock, with the default maximum."""
    return LockManager(storage, clock=clock)


class RacePool:
    """``WORKERS`` spawned processes that try locks at the same moment, round after round.

    Started once per test session; each :meth:`race` hands one job to every worker and returns the
    outcomes.
    """

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._barrier = context.Barrier(WORKERS)
        self._results: Queue[tuple[int, str, str]] = context.Queue()
        self._jobs: list[Queue[Job | None]] = [context.Queue() for _ in range(WORKERS)]
        self._processes = [
            context.Process(
                target=runpy.run_path,
                args=(str(WORKER_SCRIPT),),
                kwargs={
                    "run_name": "__shallot_race_worker__",
                    "init_globals": {
                        "worker_args": {
                            "index": index,
                            "barrier": self._barrier,
                            "jobs": self._jobs[index],
                            "results": self._results,
                        }
                    },
                },
                daemon=True,
            )
            for index in range(WORKERS)
        ]
        for process in self._processes:
            process.start()

    def race(self, jobs: list[Job]) -> dict[int, str]:
        """Give ``jobs[i]`` to worker ``i``; their outcomes: ``won``, ``conflict`` or an error."""
        assert len(jobs) == WORKERS
        for queue, job in zip(self._jobs, jobs, strict=True):
            queue.put(job)
        outcomes = [self._results.get(timeout=120) for _ in jobs]
        return {index: outcome for index, _url, outcome in outcomes}

    def exclusive_race(self, kind: str, location: str, url: str) -> dict[int, str]:
        """Every worker tries an exclusive lock on ``url`` at once; their outcomes."""
        return self.race([(kind, location, url, "infinity", True)] * WORKERS)

    def tree_race(self, kind: str, location: str, tree: str, collector: int) -> dict[int, str]:
        """Worker ``collector`` locks ``tree`` at depth infinity while the others each lock a member
        at depth 0, all exclusive and at once; their outcomes."""
        return self.race(
            [
                (kind, location, tree, "infinity", True)
                if index == collector
                else (kind, location, f"{tree}/member-{index}", "0", True)
                for index in range(WORKERS)
            ]
        )

    def close(self) -> None:
        for queue in self._jobs:
            queue.put(None)
        for process in self._processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()


@pytest.fixture(scope="session")
def race_pool() -> Iterator[RacePool]:
    """The session's racing processes."""
    pool = RacePool()
    yield pool
    pool.close()
