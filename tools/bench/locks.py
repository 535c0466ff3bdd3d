"""Benchmark: shallot.locks against WsgiDAV 4's lock manager, per storage.

Usage: ``python tools/bench/locks.py [--rounds 11] [--calls 300] [--levels 30]`` (needs
``pip install wsgidav``; the Redis rows need ``redis-server``, started here on a free port).

Three cases, each over every storage: a lock followed by its unlock on one URL; a write-permission
check on a URL ``--levels`` segments deep, covered by a depth-infinity lock on its top ancestor and
passing because the token is submitted; and lock discovery on that URL (the ancestor's lock is
inherited). Storages are paired by kind: in memory (ours, WsgiDAV's ``LockStorageDict``), in a file
(our SQLite in WAL mode, WsgiDAV's ``LockStorageShelve``) and in Redis (ours, WsgiDAV's
``LockStorageRedis``). Peers run interleaved in one process (A B C ..., A B C ..., ...), so a noisy
machine slows them alike; every adapter is checked to lock, refuse a conflicting lock, unlock,
refuse a write without the token and discover the inherited lock before it is timed. Printed: the
median microseconds per operation, and ours/theirs per kind (below 1.00 means we are faster).
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shallot.locks import (
    Depth,
    LockConflict,
    LockManager,
    LockStorage,
    MemoryLockStorage,
    SQLiteLockStorage,
)
from shallot.testing import RedisServer

if TYPE_CHECKING:
    from collections.abc import Callable

OWNER = "<D:owner xmlns:D='DAV:'><D:href>mailto:ann@example.org</D:href></D:owner>"
CASES = ("lock+unlock", "check_write_permission (deep)", "discover (deep)")


@dataclass
class Adapter:
    """One lock manager under test: an operation per case, and whether it is ours."""

    name: str
    kind: str
    ours: bool
    operations: dict[str, Callable[[], None]]
    verify: Callable[[], None]
    close: Callable[[], None]


def deep_url(levels: int) -> str:
    return "".join(f"/level{n}" for n in range(levels)) + "/file.txt"


def ours(name: str, kind: str, storage: LockStorage, levels: int) -> Adapter:
    manager = LockManager(storage)
    url = deep_url(levels)
    top = manager.lock("/level0", depth=Depth.INFINITY, principal="ann", owner=OWNER)
    for n in range(20):
        manager.lock(f"/other/{n}", depth=Depth.ZERO, principal="bob")

    def lock_unlock() -> None:
        lock = manager.lock("/bench/file", depth=Depth.ZERO, principal="ann", owner=OWNER)
        manager.unlock("/bench/file", lock.token, principal="ann")

    def check() -> None:
        manager.check_write_permission(url, Depth.ZERO, [top.token], "ann")

    def discover() -> None:
        manager.discover(url)

    def verify() -> None:
        lock = manager.lock("/bench/file", depth=Depth.ZERO, principal="ann", owner=OWNER)
        try:
            manager.lock("/bench/file", principal="bob")
            raise SystemExit(f"{name}: a conflicting lock was granted")
        except LockConflict:
            pass
        manager.unlock("/bench/file", lock.token, principal="ann")
        if manager.discover("/bench/file"):
            raise SystemExit(f"{name}: unlock left a lock")
        try:
            manager.check_write_permission(url, Depth.ZERO, [], "ann")
            raise SystemExit(f"{name}: a write without the token was allowed")
        except LockConflict:
            pass
        check()
        if [lock.token for lock in manager.discover(url)] != [top.token]:
            raise SystemExit(f"{name}: discovery misses the inherited lock")

    operations = {CASES[0]: lock_unlock, CASES[1]: check, CASES[2]: discover}
    return Adapter(name, kind, True, operations, verify, storage.close)


def wsgidav(name: str, kind: str, storage: Any, levels: int) -> Adapter:
    lock_manager = importlib.import_module("wsgidav.lock_man.lock_manager")
    dav_error: type[Exception] = importlib.import_module("wsgidav.dav_error").DAVError
    manager = lock_manager.LockManager(storage)
    url = deep_url(levels)

    def acquire(url: str, depth: str, principal: str) -> str:
        lock = manager.acquire(
            url=url,
            lock_type="write",
            lock_scope="exclusive",
            lock_depth=depth,
            lock_owner=OWNER.encode(),
            timeout=None,
            principal=principal,
            token_list=[],
        )
        return str(lock["token"])

    top = acquire("/level0", "infinity", "ann")
    for n in range(20):
        acquire(f"/other/{n}", "0", "bob")

    def lock_unlock() -> None:
        manager.release(acquire("/bench/file", "0", "ann"))

    def check() -> None:
        manager.check_write_permission(url=url, depth="0", token_list=[top], principal="ann")

    def discover() -> None:
        manager.get_indirect_url_lock_list(url)

    def verify() -> None:
        token = acquire("/bench/file", "0", "ann")
        try:
            acquire("/bench/file", "infinity", "bob")
            raise SystemExit(f"{name}: a conflicting lock was granted")
        except dav_error:
            pass
        manager.release(token)
        if manager.get_url_lock_list("/bench/file"):
            raise SystemExit(f"{name}: release left a lock")
        try:
            manager.check_write_permission(url=url, depth="0", token_list=[], principal="ann")
            raise SystemExit(f"{name}: a write without the token was allowed")
        except dav_error:
            pass
        check()
        if [lock["token"] for lock in manager.get_indirect_url_lock_list(url)] != [top]:
            raise SystemExit(f"{name}: discovery misses the inherited lock")

    operations = {CASES[0]: lock_unlock, CASES[1]: check, CASES[2]: discover}
    return Adapter(name, kind, False, operations, verify, storage.close)


def time_calls(operation: Callable[[], None], calls: int) -> float:
    """Microseconds per call, over ``calls`` calls."""
    started = time.perf_counter()
    for _ in range(calls):
        operation()
    return (time.perf_counter() - started) / calls * 1e6


def adapters(stack: ExitStack, levels: int) -> list[Adapter]:
    """Every manager under test; Redis ones only where redis-server is installed."""
    try:
        storages = importlib.import_module("wsgidav.lock_man.lock_storage")
    except ImportError:
        raise SystemExit("the peer is missing: pip install wsgidav") from None
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="shallot-bench-")))
    found = [
        ours("shallot memory", "memory", MemoryLockStorage(), levels),
        wsgidav("wsgidav dict", "memory", storages.LockStorageDict(), levels),
        ours("shallot sqlite", "file", SQLiteLockStorage(folder / "locks.sqlite3"), levels),
        wsgidav(
            "wsgidav shelve", "file", storages.LockStorageShelve(str(folder / "shelf")), levels
        ),
    ]
    executable = shutil.which("redis-server")
    if executable is None:
        print("redis-server is not installed: no Redis rows")
        return found
    from shallot.locks.redis import RedisLockStorage

    server = stack.enter_context(RedisServer(executable))
    redis_storages = importlib.import_module("wsgidav.lock_man.lock_storage_redis")
    their_storage = redis_storages.LockStorageRedis(host=server.host, port=server.port)
    found.append(ours("shallot redis", "redis", RedisLockStorage.from_url(server.url), levels))
    found.append(wsgidav("wsgidav redis", "redis", their_storage, levels))
    return found


def main(argv: list[str] | None = None) -> int:
    """Verify every adapter, then time each case's adapters interleaved; print medians, ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--levels", type=int, default=30)
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        peers = adapters(stack, args.levels)
        for adapter in peers:
            stack.callback(adapter.close)
            adapter.verify()
        print(
            f"python {sys.version.split()[0]}, {args.rounds} rounds x {args.calls} calls,"
            f" deep URL of {args.levels} levels, interleaved"
        )
        for case in CASES:
            samples: dict[str, list[float]] = {adapter.name: [] for adapter in peers}
            for _ in range(args.rounds):
                for adapter in peers:
                    samples[adapter.name].append(time_calls(adapter.operations[case], args.calls))
            print(f"\n{case}: median us per operation")
            medians = {name: statistics.median(values) for name, values in samples.items()}
            for adapter in peers:
                line = f"  {adapter.name:<15} {medians[adapter.name]:9.1f}"
                theirs = [peer for peer in peers if not peer.ours and peer.kind == adapter.kind]
                if adapter.ours and theirs:
                    ratio = medians[adapter.name] / medians[theirs[0].name]
                    line += f"   ours/theirs = {ratio:.2f}"
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
