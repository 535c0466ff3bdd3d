"""SQLitePropertyStorage: persistence, several processes, crash safety, index-only tree scans."""

from __future__ import annotations

import signal
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shallot.props import IncompatibleStorage, PropertyManager, SQLitePropertyStorage

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Callable

Patch = tuple[str, dict[str, str], list[str]]
"""As conftest's: the URL, the properties to set, the names to remove."""

OLD = {
    "/big": {"{urn:old}gone": "<gone/>", "{urn:big}p0": "<p0>old</p0>", "{urn:old}kept": "<k/>"},
    "/other": {"{urn:old}other": "<other/>"},
}


def test_properties_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "props.sqlite"
    with SQLitePropertyStorage(path) as storage:
        manager = PropertyManager(storage)
        manager.patch("/a/b", set={"{DAV:}x": "<x>é</x>"})
        manager.patch("/a/b/c", set={"{DAV:}y": "<y/>"})
        manager.move_tree("/a", "/m")
    with SQLitePropertyStorage(path) as storage:
        manager = PropertyManager(storage)
        assert manager.get_all("/m/b") == {"{DAV:}x": "<x>é</x>"}
        assert manager.get_all("/m/b/c") == {"{DAV:}y": "<y/>"}
        assert manager.get_all("/a/b") == {}


def test_connections_to_one_file_share_commits(tmp_path: Path) -> None:
    path = tmp_path / "props.sqlite"
    with SQLitePropertyStorage(path) as first, SQLitePropertyStorage(path) as second:
        PropertyManager(first).patch("/a", set={"{DAV:}x": "<x/>"})
        assert PropertyManager(second).get_all("/a") == {"{DAV:}x": "<x/>"}


def test_file_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "props.sqlite"
    SQLitePropertyStorage(path).close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()


def test_opening_a_fresh_file_waits_for_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "props.sqlite"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE other (x)")
    committer = threading.Timer(0.2, holder.execute, ("COMMIT",))
    committer.start()
    with SQLitePropertyStorage(path, timeout=30) as storage:
        PropertyManager(storage).patch("/a", set={"{DAV:}x": "<x/>"})
    committer.join()
    tables = holder.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert sorted(tables) == [("other",), ("properties",)]
    holder.close()


def test_opening_gives_up_after_its_timeout(tmp_path: Path) -> None:
    path = tmp_path / "props.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE other (x)")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        SQLitePropertyStorage(path, timeout=0.1)
    holder.execute("COMMIT")
    holder.close()
    with SQLitePropertyStorage(path) as storage:
        assert PropertyManager(storage).get_all("/a") == {}


def test_unknown_schema_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "props.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.close()
    with pytest.raises(IncompatibleStorage) as raised:
        SQLitePropertyStorage(path)
    assert (raised.value.location, raised.value.version) == (str(path), 99)
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT name FROM sqlite_master").fetchall() == []
    connection.close()


def test_a_write_that_cannot_get_the_lock_fails_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "props.sqlite"
    with SQLitePropertyStorage(path, timeout=0.05) as storage:
        manager = PropertyManager(storage)
        manager.patch("/a", set={"{DAV:}x": "<x/>"})
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            manager.patch("/a", set={"{DAV:}y": "<y/>"}, remove=["{DAV:}x"])
        holder.execute("ROLLBACK")
        holder.close()
        assert manager.get_all("/a") == {"{DAV:}x": "<x/>"}
        manager.patch("/a", set={"{DAV:}y": "<y/>"})
        assert manager.names("/a") == ["{DAV:}x", "{DAV:}y"]


def test_tree_operations_are_index_range_scans(tmp_path: Path) -> None:
    path = tmp_path / "props.sqlite"
    statements: list[str] = []
    with SQLitePropertyStorage(path) as storage:
        manager = PropertyManager(storage)
        manager.patch("/a_b%25/c", set={"{DAV:}x": "<x/>"})
        storage._connection.set_trace_callback(statements.append)
        manager.get_all("/a_b%25/c")
        manager.copy_tree("/a_b%25", "/copy")
        manager.move_tree("/copy", "/moved")
        manager.delete_tree("/moved")
        storage._connection.set_trace_callback(None)
        assert manager.get_all("/a_b%25/c") == {"{DAV:}x": "<x/>"}
    data = [s for s in statements if s.split()[0] in ("SELECT", "INSERT", "UPDATE", "DELETE")]
    assert len(data) == 6
    probe = sqlite3.connect(path)
    for statement in data:
        assert "LIKE" not in statement.upper()
        plan = [row[3] for row in probe.execute("EXPLAIN QUERY PLAN " + statement)]
        assert plan, statement
        assert not [step for step in plan if step.startswith("SCAN")], (statement, plan)
    probe.close()


def test_processes_patching_concurrently_lose_nothing(
    tmp_path: Path,
    run_workers: Callable[[str, list[list[Patch]]], None],
    patch_plans: tuple[list[list[Patch]], dict[str, dict[str, str]]],
) -> None:
    plans, expected = patch_plans
    path = tmp_path / "shared.sqlite"
    run_workers(f"sqlite:{path}", plans)
    with SQLitePropertyStorage(path) as storage:
        manager = PropertyManager(storage)
        assert {url: manager.get_all(url) for url in expected} == expected


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_writer_killed_mid_patch_leaves_the_old_state(
    tmp_path: Path,
    spawn_worker: Callable[[str, list[Patch], int], subprocess.Popen[str]],
) -> None:
    path = tmp_path / "crash.sqlite"
    with SQLitePropertyStorage(path) as storage:
        for url, values in OLD.items():
            PropertyManager(storage).patch(url, set=values)
    big = {f"{{urn:big}}p{index}": f"<p{index}>{'x' * 16_000}</p{index}>" for index in range(3000)}
    new = {"/big": {"{urn:old}kept": "<k/>", **big}, "/other": OLD["/other"]}
    worker = spawn_worker(f"sqlite:{path}", [("/big", big, ["{urn:old}gone"])], 10_000)
    assert worker.stdout is not None
    assert worker.stdout.readline() == "ready\n"
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    wal = Path(f"{path}-wal")
    baseline = wal.stat().st_size
    assert worker.stdin is not None
    worker.stdin.write("go\n")
    worker.stdin.flush()
    deadline = time.monotonic() + 60
    while True:
        assert worker.poll() is None, "the writer finished before it could be killed"
        assert time.monotonic() < deadline, "the writer never started its transaction"
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            if wal.stat().st_size > baseline + 4 * 2**20:
                break
        else:
            probe.execute("ROLLBACK")
        time.sleep(0.001)
    worker.send_signal(signal.SIGKILL)
    assert worker.wait(timeout=30) == -signal.SIGKILL
    probe.close()

    check = sqlite3.connect(path)
    assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    check.close()
    with SQLitePropertyStorage(path) as storage:
        manager = PropertyManager(storage, max_properties=10_000)
        after = {url: manager.get_all(url) for url in OLD}
        assert after in (OLD, new), "a mix of the old and the new state"
        manager.patch("/big", set={"{urn:old}after": "<after/>"})
        assert manager.get("/big", "{urn:old}after") == "<after/>"
