"""Fixtures shared by the props tests: every storage, and plans for concurrent writers.

``storage`` is parametrised over the three storages (Redis being the real server from
shallot-testing), so every test that takes it, or ``manager``, is the storage-agnostic suite.
``patch_plans`` gives several writers' patches and the one state they must add up to, whatever the
interleaving; ``run_workers`` runs such plans in separate OS processes (``workers.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shallot.props import (
    MemoryPropertyStorage,
    PropertyManager,
    PropertyStorage,
    RedisPropertyStorage,
    SQLitePropertyStorage,
)

if TYPE_CHECKING:
    from shallot.testing import RedisServer

WORKER = Path(__file__).with_name("workers.py")
WORKER_TIMEOUT = 120
URLS = ("/shared/one", "/shared/two", "/shared/three")

Patch = tuple[str, dict[str, str], list[str]]
"""One patch: the URL, the properties to set, the names to remove."""
Plans = list[list[Patch]]
"""Each writer's patches, in order."""


@pytest.fixture(params=["memory", "sqlite", "redis"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[PropertyStorage]:
    """Each storage in turn, empty."""
    made: PropertyStorage
    if request.param == "memory":
        made = MemoryPropertyStorage()
    elif request.param == "sqlite":
        made = SQLitePropertyStorage(tmp_path / "props.sqlite")
    else:
        server: RedisServer = request.getfixturevalue("redis")
        made = RedisPropertyStorage.from_url(server.url)
    yield made
    made.close()


@pytest.fixture
def manager(storage: PropertyStorage) -> PropertyManager:
    """A manager with the default limits over each storage."""
    return PropertyManager(storage)


def _name(writer: int, step: int) -> str:
    return f"{{urn:writer:{writer}}}step-{step}"


def _value(writer: int, step: int) -> str:
    tag = f"step-{step}"
    return f'<{tag} xmlns="urn:writer:{writer}" xml:lang="de">Schritt {step} für {writer}</{tag}>'


@pytest.fixture
def patch_plans() -> tuple[Plans, dict[str, dict[str, str]]]:
    """Four writers' plans of 100 patches each over three shared resources, and the state they make.

    Writer ``w``'s step ``s`` sets its own name on ``URLS[s % 3]``; every fourth step from the
    fourth also removes what the writer set three steps earlier on that resource. Names never cross
    writers, so any interleaving must end in ``expected``; a lost update shows as a missing or
    leftover name.
    """
    plans: Plans = []
    expected: dict[str, dict[str, str]] = {url: {} for url in URLS}
    for writer in range(4):
        plan: list[Patch] = []
        for step in range(100):
            url = URLS[step % len(URLS)]
            removed = [_name(writer, step - 3)] if step >= 3 and step % 4 == 3 else []
            plan.append((url, {_name(writer, step): _value(writer, step)}, removed))
            expected[url][_name(writer, step)] = _value(writer, step)
            for name in removed:
                del expected[url][name]
        plans.append(plan)
    return plans, expected


SpawnWorker = Callable[[str, list[Patch], int], "subprocess.Popen[str]"]
"""``spawn_worker(spec, patches, max_properties)``: a started worker, which will print "ready"."""


def wait_ready(worker: subprocess.Popen[str]) -> None:
    """Block until the worker says it has opened its storage."""
    assert worker.stdout is not None
    line = worker.stdout.readline()
    if line != "ready\n":
        worker.wait(timeout=WORKER_TIMEOUT)
        assert worker.stderr is not None
        pytest.fail(f"worker did not start: {line!r} {worker.stderr.read()}")


def release(worker: subprocess.Popen[str]) -> None:
    """Let a ready worker apply its plan."""
    assert worker.stdin is not None
    worker.stdin.write("go\n")
    worker.stdin.flush()


@pytest.fixture
def spawn_worker(tmp_path: Path) -> Iterator[SpawnWorker]:
    """Start ``workers.py`` processes on a storage spec (``sqlite:PATH`` or ``redis:URL``).

    Each prints "ready" once its storage is open, waits for "go" on its standard input, applies its
    patches in order through a ``PropertyManager`` and prints "done". Any left running at the end
    of the test are killed. ``spawn_worker`` returns at once, without waiting for "ready".
    """
    started: list[subprocess.Popen[str]] = []

    def spawn(spec: str, patches: list[Patch], max_properties: int) -> subprocess.Popen[str]:
        plan = tmp_path / f"plan-{len(started)}.json"
        plan.write_text(
            json.dumps({"max_properties": max_properties, "patches": patches}), encoding="utf-8"
        )
        worker = subprocess.Popen(
            [sys.executable, str(WORKER), spec, str(plan)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(worker)
        return worker

    yield spawn
    for worker in started:
        if worker.poll() is None:
            worker.kill()
        worker.wait(timeout=WORKER_TIMEOUT)
        for pipe in (worker.stdin, worker.stdout, worker.stderr):
            if pipe is not None:
                pipe.close()


@pytest.fixture
def run_workers(spawn_worker: SpawnWorker) -> Callable[[str, Plans], None]:
    """Run one OS process per plan against one storage, all released at once; fail on any error.

    The processes are all started before any is waited for, so they also open the storage
    concurrently (for SQLite: create the file, its schema and its WAL together).
    """

    def run(spec: str, plans: Plans) -> None:
        workers = [spawn_worker(spec, plan, 1000) for plan in plans]
        for worker in workers:
            wait_ready(worker)
        for worker in workers:
            release(worker)
        for worker in workers:
            output, errors = worker.communicate(timeout=WORKER_TIMEOUT)
            assert (worker.returncode, output) == (0, "done\n"), errors

    return run
