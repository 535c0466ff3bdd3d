"""``SQLitePropertyStorage``: dead properties in one SQLite file, the embedded default.

Why SQLite: it ships with Python, keeps one file beside the server's other state, and its
transactions give what a property store needs without a server process:

- **Several processes on one machine** (``gunicorn -w 4``): the file is in WAL mode, so readers
  never wait for the writer, and every write is one ``BEGIN IMMEDIATE`` transaction, which takes the
  write lock up front; a process that finds it taken waits (up to ``timeout`` seconds) instead of
  failing or interleaving.
- **Crash safety**: a patch or tree operation commits whole or not at all. A process killed in the
  middle of a patch leaves uncommitted pages that SQLite ignores when the file is opened again: the
  old state, never half of the new one. ``synchronous=NORMAL`` keeps that guarantee for process
  crashes; an operating-system crash or power loss may forget the last commits, but never corrupts
  the file.
- **Subtree operations as range scans**: the primary key ``(url, name)`` is an index on ``url``; a
  subtree is ``url = root OR (url >= root/ AND url < root0)`` (see
  :class:`~shallot.props.urls.Subtree`), which SQLite answers from that index, with no ``LIKE``
  pattern and so no wildcard to escape.

Within a process one connection serves every thread, behind a lock. Open the storage after forking,
never before: a connection must not cross a ``fork``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from typing import TYPE_CHECKING

from shallot.props.errors import IncompatibleStorage, TooManyProperties

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Set
    from types import TracebackType

    from shallot.props.urls import Subtree

SCHEMA_VERSION = 1
"""Stored in ``PRAGMA user_version``; a file with a higher version is refused, not rewritten."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS properties (
    url TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (url, name)
)
"""
_IN_TREE = "(url = ? OR (url >= ? AND url < ?))"
_SELECT_ALL = "SELECT name, value FROM properties WHERE url = ?"
_UPSERT = (
    "INSERT INTO properties (url, name, value) VALUES (?, ?, ?) "
    "ON CONFLICT (url, name) DO UPDATE SET value = excluded.value"
)


def _tree(tree: Subtree) -> tuple[str, str, str]:
    """The parameters of ``_IN_TREE`` for ``tree``."""
    return (tree.root, tree.lower, tree.upper)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` when the block raises anything."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __enter__(self) -> sqlite3.Connection:
        self._connection.execute("BEGIN IMMEDIATE")
        return self._connection

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self._connection.execute("COMMIT")
        elif self._connection.in_transaction:
            self._connection.execute("ROLLBACK")


class SQLitePropertyStorage:
    """A :class:`~shallot.props.storage.PropertyStorage` in the SQLite file ``path`` (made if
    missing).

    ``timeout`` is how many seconds a write waits for another process's write to finish before
    raising :class:`sqlite3.OperationalError`. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 30.0) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(
            self.path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    self._initialise()
                    break
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) or time.monotonic() >= deadline:
                        raise
                time.sleep(0.01)
        except BaseException:
            self._connection.close()
            raise

    def _initialise(self) -> None:
        """Switch to WAL and create the schema, or check its version; safe to repeat.

        Repeated when the file is locked: while a fresh file is still in rollback mode, SQLite
        refuses the switch to WAL at once, without waiting, if another process is writing.
        """
        self._connection.execute("PRAGMA journal_mode = WAL")
        self._connection.execute("PRAGMA synchronous = NORMAL")
        with _Transaction(self._connection) as connection:
            (version,) = connection.execute("PRAGMA user_version").fetchone()
            if version == 0:
                connection.execute(_SCHEMA)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif version != SCHEMA_VERSION:
                raise IncompatibleStorage(self.path, version)

    def get(self, url: str, name: str) -> str | None:
        """The value of one property, or ``None``."""
        with self._lock:
            row = self._connection.execute(
                "SELECT value FROM properties WHERE url = ? AND name = ?", (url, name)
            ).fetchone()
        return None if row is None else str(row[0])

    def get_all(self, url: str) -> dict[str, str]:
        """Every property of one resource, read in one statement (so from one committed state)."""
        with self._lock:
            return dict(self._connection.execute(_SELECT_ALL, (url,)).fetchall())

    def names(self, url: str) -> list[str]:
        """The names of one resource's properties."""
        with self._lock:
            rows = self._connection.execute("SELECT name FROM properties WHERE url = ?", (url,))
            return [name for (name,) in rows]

    def get_children(self, tree: Subtree) -> dict[str, dict[str, str]]:
        """The properties of ``tree.root``'s direct children: one range scan of the index."""
        start = len(tree.lower) + 1
        found: dict[str, dict[str, str]] = {}
        with self._lock:
            rows = self._connection.execute(
                "SELECT url, name, value FROM properties WHERE url >= ? AND url < ?"
                " AND url <> ? AND instr(substr(url, ?), '/') = 0",
                (tree.lower, tree.upper, tree.root, start),
            ).fetchall()
        for url, name, value in rows:
            found.setdefault(url, {})[name] = value
        return found

    def patch(
        self, url: str, values: Mapping[str, str], removals: Set[str], max_properties: int
    ) -> None:
        """Count, then remove and set, in one write transaction: all of the patch or none of it."""
        with self._lock, _Transaction(self._connection) as connection:
            rows = connection.execute("SELECT name FROM properties WHERE url = ?", (url,))
            before = {name for (name,) in rows}
            after = before.difference(removals).union(values)
            if len(after) > max(max_properties, len(before)):
                raise TooManyProperties(url, max_properties, len(after))
            connection.executemany(
                "DELETE FROM properties WHERE url = ? AND name = ?",
                ((url, name) for name in removals),
            )
            connection.executemany(_UPSERT, _rows(url, values))

    def copy_tree(self, source: Subtree, destination: Subtree) -> None:
        """Replace ``destination``'s properties with a re-rooted copy of ``source``'s: one
        transaction."""
        with self._lock, _Transaction(self._connection) as connection:
            connection.execute(f"DELETE FROM properties WHERE {_IN_TREE}", _tree(destination))
            connection.execute(
                "INSERT INTO properties (url, name, value) "
                f"SELECT ? || substr(url, ?), name, value FROM properties WHERE {_IN_TREE}",
                (destination.root, len(source.root) + 1, *_tree(source)),
            )

    def move_tree(self, source: Subtree, destination: Subtree) -> None:
        """Replace ``destination``'s properties with ``source``'s, re-rooted in place: one
        transaction."""
        with self._lock, _Transaction(self._connection) as connection:
            connection.execute(f"DELETE FROM properties WHERE {_IN_TREE}", _tree(destination))
            connection.execute(
                f"UPDATE properties SET url = ? || substr(url, ?) WHERE {_IN_TREE}",
                (destination.root, len(source.root) + 1, *_tree(source)),
            )

    def delete_tree(self, tree: Subtree) -> None:
        """Remove every property in ``tree``, in one transaction."""
        with self._lock, _Transaction(self._connection) as connection:
            connection.execute(f"DELETE FROM properties WHERE {_IN_TREE}", _tree(tree))

    def close(self) -> None:
        """Close the connection; what was committed stays in the file."""
        with self._lock:
            self._connection.close()

    def __enter__(self) -> SQLitePropertyStorage:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _rows(url: str, values: Mapping[str, str]) -> Iterator[tuple[str, str, str]]:
    for name, value in values.items():
        yield (url, name, value)
