"""Benchmark: shallot.props storages against WsgiDAV 4's property managers.

Usage: ``python tools/bench/props.py [--rounds 9] [--calls 1000] [--move-rounds 6]
[--resources 10000] [--shelve-move]``.

Cases, each per storage (memory, SQLite, and Redis when ``redis-server`` is installed, run through
``shallot.testing.RedisServer``), against WsgiDAV's in-memory ``PropertyManager`` and its
``ShelvePropertyManager``:

- ``get_all``: every property of a resource that has 20 (WsgiDAV: ``get_properties`` then
  ``get_property`` per name, as its PROPFIND does);
- ``patch``: set one of those 20 to a new value (WsgiDAV: ``write_property``);
- ``move_tree``: move a subtree of ``--resources`` resources (two properties each; 1,000 resources
  outside it, some sharing its name as a prefix, stay put) back and forth (WsgiDAV:
  ``move_properties`` with children). The shelve peer joins only with ``--shelve-move``: on a Python
  without gdbm, ``shelve`` falls back to ``dbm.dumb``, where filling and moving 10,000 resources
  takes minutes.

Peers run interleaved in one process (A B C ..., A B C ...) so a noisy machine slows them alike;
every adapter's result is checked before it is timed, so a broken one cannot look fast. Printed:
the median microseconds (milliseconds for moves) per call and ours/theirs (below 1.00: we are
faster).
"""

from __future__ import annotations

import argparse
import dbm
import shelve
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import redis as redis_client
from wsgidav.prop_man.property_manager import (  # type: ignore[import-untyped]  # WsgiDAV ships no types
    PropertyManager as WsgiDAVPropertyManager,
)
from wsgidav.prop_man.property_manager import (
    ShelvePropertyManager as WsgiDAVShelvePropertyManager,
)

from shallot.props import (
    MemoryPropertyStorage,
    PropertyManager,
    PropertyStorage,
    RedisPropertyStorage,
    SQLitePropertyStorage,
)
from shallot.testing import RedisServer

if TYPE_CHECKING:
    from collections.abc import Callable

DOC = "/bench/doc.txt"
PATCHED = "/bench/patched.txt"
PROPERTIES = {
    f"{{urn:bench}}p{index:02}": (
        f'<b:p{index:02} xmlns:b="urn:bench" xml:lang="en">value {index}</b:p{index:02}>'
    )
    for index in range(20)
}
PATCHED_NAME = "{urn:bench}p07"
NEW_VALUES = ('<b:p07 xmlns:b="urn:bench">one</b:p07>', '<b:p07 xmlns:b="urn:bench">two</b:p07>')
OUTSIDE = 1000


class Adapter(Protocol):
    """One property store, driven the way a WebDAV server drives it."""

    def get_all(self, url: str) -> dict[str, str]: ...

    def set_one(self, url: str, name: str, value: str) -> None: ...

    def fill(self, url: str, properties: dict[str, str]) -> None: ...

    def move(self, source: str, destination: str) -> None: ...

    def close(self) -> None: ...


class Ours:
    """A shallot.props manager over one storage."""

    def __init__(self, storage: PropertyStorage) -> None:
        self.storage = storage
        self.manager = PropertyManager(storage)

    def get_all(self, url: str) -> dict[str, str]:
        return self.manager.get_all(url)

    def set_one(self, url: str, name: str, value: str) -> None:
        self.manager.patch(url, set={name: value})

    def fill(self, url: str, properties: dict[str, str]) -> None:
        self.manager.patch(url, set=properties)

    def move(self, source: str, destination: str) -> None:
        self.manager.move_tree(source, destination)

    def close(self) -> None:
        self.storage.close()


class Theirs:
    """A WsgiDAV 4 property manager (in-memory or shelve)."""

    def __init__(self, manager: WsgiDAVPropertyManager) -> None:
        self.manager = manager

    def get_all(self, url: str) -> dict[str, str]:
        return {
            name: self.manager.get_property(url, name) for name in self.manager.get_properties(url)
        }

    def set_one(self, url: str, name: str, value: str) -> None:
        self.manager.write_property(url, name, value)

    def fill(self, url: str, properties: dict[str, str]) -> None:
        for name, value in properties.items():
            self.manager.write_property(url, name, value)

    def move(self, source: str, destination: str) -> None:
        self.manager.move_properties(source, destination, with_children=True)

    def close(self) -> None:
        self.manager._close()  # WsgiDAV's managers have no public close


def make_adapters(
    folder: Path, redis: RedisServer | None, *, shelve_peer: bool
) -> dict[str, Adapter]:
    """Fresh, empty adapters: ours per storage, then WsgiDAV's."""
    adapters: dict[str, Adapter] = {
        "shallot memory": Ours(MemoryPropertyStorage()),
        "shallot sqlite": Ours(
            SQLitePropertyStorage(folder / f"props-{time.monotonic_ns()}.sqlite")
        ),
    }
    if redis is not None:
        redis.flush()
        adapters["shallot redis"] = Ours(RedisPropertyStorage.from_url(redis.url))
    adapters["wsgidav memory"] = Theirs(WsgiDAVPropertyManager())
    if shelve_peer:
        path = folder / f"shelve-{time.monotonic_ns()}"
        adapters["wsgidav shelve"] = Theirs(WsgiDAVShelvePropertyManager(str(path)))
    return adapters


def check(ok: bool, what: str) -> None:
    """Refuse to time an adapter whose result is wrong."""
    if not ok:
        raise SystemExit(f"wrong result: {what}")


def interleave(
    adapters: dict[str, Adapter], rounds: int, sample: Callable[[Adapter, int], float]
) -> dict[str, float]:
    """Median of ``sample(adapter, round)`` per adapter, the adapters taking turns in each round."""
    samples: dict[str, list[float]] = {name: [] for name in adapters}
    for round_ in range(rounds):
        for name, adapter in adapters.items():
            samples[name].append(sample(adapter, round_))
    return {name: statistics.median(values) for name, values in samples.items()}


def report(title: str, unit: str, medians: dict[str, float]) -> None:
    """Print medians, and each of ours against each of theirs."""
    print(f"\n{title}: median {unit} per call")
    theirs = {name: value for name, value in medians.items() if name.startswith("wsgidav")}
    for name, median in medians.items():
        ratios = (
            ""
            if name in theirs
            else "".join(
                f"   /{peer.split()[1]} {median / value:<7.3g}" for peer, value in theirs.items()
            )
        )
        print(f"  {name:<15} {median:10.2f}{ratios}")


def bench_get_all(adapters: dict[str, Adapter], rounds: int, calls: int) -> dict[str, float]:
    """Microseconds per ``get_all`` of a resource with 20 properties."""
    for name, adapter in adapters.items():
        adapter.fill(DOC, PROPERTIES)
        check(adapter.get_all(DOC) == PROPERTIES, f"{name} get_all")

    def sample(adapter: Adapter, round_: int) -> float:
        get_all = adapter.get_all
        started = time.perf_counter()
        for _ in range(calls):
            get_all(DOC)
        return (time.perf_counter() - started) / calls * 1e6

    return interleave(adapters, rounds, sample)


def bench_patch(adapters: dict[str, Adapter], rounds: int, calls: int) -> dict[str, float]:
    """Microseconds per patch setting one property of a resource with 20."""
    for name, adapter in adapters.items():
        adapter.fill(PATCHED, PROPERTIES)
        for value in NEW_VALUES:
            adapter.set_one(PATCHED, PATCHED_NAME, value)
            check(adapter.get_all(PATCHED) == PROPERTIES | {PATCHED_NAME: value}, f"{name} patch")

    def sample(adapter: Adapter, round_: int) -> float:
        set_one = adapter.set_one
        started = time.perf_counter()
        for index in range(calls):
            set_one(PATCHED, PATCHED_NAME, NEW_VALUES[index % 2])
        return (time.perf_counter() - started) / calls * 1e6

    return interleave(adapters, rounds, sample)


def tree(root: str, resources: int) -> list[str]:
    """``resources`` URLs under ``root``, a hundred per folder."""
    return [f"{root}/d{index // 100:03}/r{index:05}.txt" for index in range(resources)]


def tree_properties(url: str) -> dict[str, str]:
    return {
        "{urn:bench}url": f'<b:url xmlns:b="urn:bench">{url}</b:url>',
        "{DAV:}displayname": "<D:displayname xmlns:D='DAV:'>r</D:displayname>",
    }


def bench_move(adapters: dict[str, Adapter], rounds: int, resources: int) -> dict[str, float]:
    """Milliseconds per ``move_tree`` of ``resources`` resources, back and forth."""
    source, destination = tree("/src", resources), tree("/dst", resources)
    outside = [f"/src-other/r{index}" for index in range(OUTSIDE // 2)] + [
        f"/srcx{index}" for index in range(OUTSIDE // 2)
    ]
    for name, adapter in adapters.items():
        started = time.perf_counter()
        for url in source + outside:
            adapter.fill(url, tree_properties(url))
        elapsed = time.perf_counter() - started
        print(f"  filled {name} with {resources + OUTSIDE} resources in {elapsed:.1f} s")
        adapter.move("/src", "/dst")
        pairs = zip(source, destination, strict=True)
        moved = all(adapter.get_all(new) == tree_properties(old) for old, new in pairs)
        left = any(adapter.get_all(url) for url in source[:: max(1, resources // 100)])
        kept = all(adapter.get_all(url) == tree_properties(url) for url in outside)
        check(moved and not left and kept, f"{name} move_tree")
        adapter.move("/dst", "/src")
        check(adapter.get_all(source[-1]) == tree_properties(source[-1]), f"{name} move_tree back")

    def sample(adapter: Adapter, round_: int) -> float:
        there, back = ("/src", "/dst") if round_ % 2 == 0 else ("/dst", "/src")
        started = time.perf_counter()
        adapter.move(there, back)
        return (time.perf_counter() - started) * 1e3

    return interleave(adapters, rounds + rounds % 2, sample)


def main(argv: list[str] | None = None) -> int:
    """Verify, then time every case's peers interleaved; print medians and ratios."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--move-rounds", type=int, default=6)
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument(
        "--shelve-move", action="store_true", help="also move with WsgiDAV's shelve (slow)"
    )
    args = parser.parse_args(argv)
    executable = shutil.which("redis-server")
    print(
        f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, "
        f"shelve on {_shelve_backend()}, "
        f"{args.rounds} rounds x {args.calls} calls, interleaved"
    )
    if executable is None:
        print("redis-server is not installed: the Redis storage is left out")
    with tempfile.TemporaryDirectory(prefix="shallot-bench-props-") as scratch:
        folder = Path(scratch)
        redis = RedisServer(executable) if executable else None
        try:
            if redis is not None:
                floor = _ping_microseconds(redis)
                print(f"redis PING round trip: {floor:.0f} us, the floor of any Redis call")
            cases: list[tuple[str, str, Callable[[dict[str, Adapter]], dict[str, float]], bool]] = [
                (
                    "get_all, 20 properties",
                    "us",
                    lambda a: bench_get_all(a, args.rounds, args.calls),
                    True,
                ),
                (
                    "patch, 1 of 20 properties",
                    "us",
                    lambda a: bench_patch(a, args.rounds, args.calls),
                    True,
                ),
                (
                    f"move_tree, {args.resources} resources",
                    "ms",
                    lambda a: bench_move(a, args.move_rounds, args.resources),
                    args.shelve_move,
                ),
            ]
            for title, unit, run, shelve_peer in cases:
                adapters = make_adapters(folder, redis, shelve_peer=shelve_peer)
                try:
                    report(title, unit, run(adapters))
                finally:
                    for adapter in adapters.values():
                        adapter.close()
        finally:
            if redis is not None:
                redis.stop()
    return 0


def _ping_microseconds(server: RedisServer) -> float:
    """The median round trip of a bare ``PING`` through the same client library."""
    client = redis_client.Redis.from_url(server.url)
    samples = []
    for _ in range(9):
        started = time.perf_counter()
        for _ in range(200):
            client.ping()
        samples.append((time.perf_counter() - started) / 200 * 1e6)
    client.close()
    return statistics.median(samples)


def _shelve_backend() -> str:
    """The dbm module ``shelve`` uses on this Python (``dbm.dumb`` without gdbm and ndbm)."""
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "probe")
        with shelve.open(path) as shelf:
            shelf["probe"] = 1
        return dbm.whichdb(path) or "unknown"


if __name__ == "__main__":
    sys.exit(main())
