"""A writer process for the multi-process tests: ``python workers.py SPEC PLAN``.

``SPEC`` names a shared storage, ``sqlite:PATH`` or ``redis:URL``; ``PLAN`` is a JSON file
``{"max_properties": int, "patches": [[url, {name: value, ...}, [name, ...]], ...]}``.
The process opens the storage, prints "ready", waits for a line on its standard input (so a test can
release all its writers at once), applies the patches in order through a ``PropertyManager`` and
prints "done". A fresh interpreter per writer, as a multi-process server has.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shallot.props import (
    PropertyManager,
    PropertyStorage,
    RedisPropertyStorage,
    SQLitePropertyStorage,
)


def open_storage(spec: str) -> PropertyStorage:
    """The storage a spec names."""
    kind, _, location = spec.partition(":")
    if kind == "sqlite":
        return SQLitePropertyStorage(location)
    if kind == "redis":
        return RedisPropertyStorage.from_url(location)
    raise SystemExit(f"unknown storage spec {spec!r}")


def main(spec: str, plan_file: str) -> None:
    """Open, report ready, wait for the go, apply every patch, report done."""
    plan = json.loads(Path(plan_file).read_text(encoding="utf-8"))
    storage = open_storage(spec)
    try:
        manager = PropertyManager(storage, max_properties=plan["max_properties"])
        print("ready", flush=True)
        sys.stdin.readline()
        for url, values, removals in plan["patches"]:
            manager.patch(url, set=values, remove=removals)
        print("done", flush=True)
    finally:
        storage.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
