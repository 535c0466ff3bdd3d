"""``SQLiteLockStorage``: locks in one SQLite file, shared by the processes of one machine.

The embedded default: no server to run, and locks survive a restart. How it stays safe:

- WAL journal mode, so readers never wait for the writer, and ``synchronous=NORMAL``, which in WAL
  mode survives any crash of the application (a power cut may lose the last locks taken, never
  corrupt the file).
- One connection per thread and per process (a forked child opens its own), each waiting up to
  ``busy_timeout`` seconds for the write lock instead of failing at once.
- :meth:`SQLiteLockStorage.create` is one ``INSERT ... SELECT ... WHERE NOT EXISTS`` statement: a
  writing statement holds SQLite's write lock from its start, so the conflict check and the insert
  are one step for every process, and two processes racing for the same URL can never both win.
  Only when nothing was inserted are the conflicting locks read, in a ``BEGIN IMMEDIATE``
  transaction that inserts after all if they have gone meanwhile; the purge of expired locks
  (below) takes that path too, so a failed ``create`` leaves the file as it was.
- Reads compare ``expires_at`` with ``now`` in the query itself, so an expired lock is invisible
  before it is purged; the purge itself is housekeeping, done by a ``create`` at most every
  :data:`PURGE_INTERVAL` seconds. Locks below a collection are one range of the ``root`` index
  (``'/a/' <= root < '/a0'``).

Every LOCK and UNLOCK is a write transaction, so the file is laid out for small writes: one
B-tree keyed by token (``WITHOUT ROWID``) plus the ``root`` index, in 1 KiB pages. A lock then
commits two small pages instead of four full ones, which halves a LOCK+UNLOCK pair's cost.
Files made by an older version (``user_version`` 0) are converted when first opened.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

from shallot.locks.records import Depth, Lock, Scope
from shallot.locks.urls import ancestors, subtree_end, subtree_prefix

if TYPE_CHECKING:
    from collections.abc import Iterator

SCHEMA_VERSION = 1
"""The file layout this module writes (SQLite's ``user_version``); 0 is the first release's."""

PAGE_SIZE = 1024
"""Bytes per page of a new file: a lock's row fits many times, and a commit writes less."""

PURGE_INTERVAL = 10.0
"""Seconds between purges of expired locks by one storage object."""

_TABLE = """CREATE TABLE {name} (
    token TEXT PRIMARY KEY,
    root TEXT NOT NULL,
    depth TEXT NOT NULL,
    scope TEXT NOT NULL,
    owner TEXT,
    principal TEXT,
    timeout INTEGER,
    expires_at REAL
) WITHOUT ROWID"""
_COLUMN_NAMES = ("token", "root", "depth", "scope", "owner", "principal", "timeout", "expires_at")
_COLUMNS = ", ".join(_COLUMN_NAMES)
_LIVE = "(expires_at IS NULL OR expires_at > :now)"
_AT_OR_ABOVE = f"""
SELECT {_COLUMNS} FROM locks WHERE root = :url AND {_LIVE}
UNION ALL
SELECT {_COLUMNS} FROM locks WHERE root IN ({{ancestors}}) AND {{depths}} AND {_LIVE}
"""
_ABOVE_DEPTHS = "depth = 'infinity'"
_PARENT_DEPTHS = "(depth = 'infinity' OR root = :a0)"
"""Which of the ancestors' locks are found: depth infinity, or with ``parent`` all at ``:a0``."""
_BELOW = f"""
UNION ALL
SELECT {_COLUMNS} FROM locks WHERE root >= :start AND root < :end AND root <> :url AND {_LIVE}
"""
_RELEASE = f"""
DELETE FROM locks WHERE token = :token AND {_LIVE}
AND (principal IS NULL OR principal = :principal)
AND (root = :url OR (depth = 'infinity' AND root IN ({{ancestors}})))
"""

_INSERT = f"INSERT INTO locks ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_UNLESS_CONFLICT = f"""
INSERT INTO locks ({_COLUMNS})
SELECT {", ".join(f":{name}" for name in _COLUMN_NAMES)}
WHERE NOT EXISTS (SELECT 1 FROM ({{nearby}}) WHERE :exclusive OR scope = 'exclusive')
"""

_Row = tuple[str, str, str, str, "str | None", "str | None", "int | None", "float | None"]


class SQLiteLockStorage:
    """A :class:`~shallot.locks.storage.LockStorage` in the SQLite file ``path``, made if missing.

    Any number of threads and processes may open the same file; each gets its own connections.
    ``busy_timeout`` is how many seconds an operation waits for another process's write before
    raising ``sqlite3.OperationalError``.
    """

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 10.0) -> None:
        self.path = os.fspath(path)
        self.busy_timeout = busy_timeout
        self._guard = threading.Lock()
        self._local = threading.local()
        self._pid = os.getpid()
        self._connections: list[sqlite3.Connection] = []
        self._next_purge = float("-inf")
        with self._transaction() as db:
            _initialise(db)

    def create(self, lock: Lock, now: float) -> list[Lock]:
        """Store ``lock`` unless a live lock conflicts (one statement; see the module docs)."""
        below = lock.depth is Depth.INFINITY
        if now < self._next_purge:
            query, parameters = _nearby(lock.root, now, below=below)
            parameters.update(zip(_COLUMN_NAMES, _row(lock), strict=True))
            parameters["exclusive"] = lock.exclusive
            if self._connection().execute(_insert_unless_conflict(query), parameters).rowcount:
                return []
        with self._transaction() as db:
            if now >= self._next_purge:
                db.execute("DELETE FROM locks WHERE expires_at <= ?", (now,))
                self._next_purge = now + PURGE_INTERVAL
            nearby = self._find(db, lock.root, now, below=below)
            conflicts = [other for other in nearby if lock.conflicts_with(other)]
            if not conflicts:
                db.execute(_INSERT, _row(lock))
            return conflicts

    def get(self, token: str, now: float) -> Lock | None:
        """The live lock with ``token``, or ``None``."""
        row = (
            self._connection()
            .execute(
                f"SELECT {_COLUMNS} FROM locks WHERE token = :token AND {_LIVE}",
                {"token": token, "now": now},
            )
            .fetchone()
        )
        return None if row is None else _lock(row)

    def find(self, url: str, now: float, *, below: bool, parent: bool = False) -> list[Lock]:
        """Live locks on ``url``, depth-infinity ones above it, with ``below`` those under it,
        with ``parent`` all of those rooted at its parent (one statement)."""
        return self._find(self._connection(), url, now, below=below, parent=parent)

    def refresh(
        self, token: str, timeout: int | None, expires_at: float | None, now: float
    ) -> Lock | None:
        """Give the live lock ``token`` a new timeout and expiry; the updated lock or ``None``."""
        with self._transaction() as db:
            updated = db.execute(
                "UPDATE locks SET timeout = :timeout, expires_at = :expires_at"
                f" WHERE token = :token AND {_LIVE}",
                {"timeout": timeout, "expires_at": expires_at, "token": token, "now": now},
            ).rowcount
            if not updated:
                return None
            row = db.execute(f"SELECT {_COLUMNS} FROM locks WHERE token = ?", (token,)).fetchone()
            return _lock(row)

    def release(self, token: str, url: str, principal: str | None, now: float) -> bool:
        """Delete the live lock ``token`` if it covers ``url`` and is ``principal``'s or
        nobody's, in one statement; whether it did."""
        parameters = _ancestor_values(url)
        query = _release_query(len(parameters))
        parameters.update(token=token, url=url, principal=principal, now=now)
        return self._connection().execute(query, parameters).rowcount > 0

    def delete_tree(self, url: str) -> None:
        """Delete every lock rooted at ``url`` or below it, in one statement."""
        self._connection().execute(
            "DELETE FROM locks WHERE root = ? OR (root >= ? AND root < ?)",
            (url, subtree_prefix(url), subtree_end(url)),
        )

    def close(self) -> None:
        """Close every connection this process opened on the file."""
        with self._guard:
            if self._pid == os.getpid():
                for connection in self._connections:
                    connection.close()
            self._connections.clear()
            self._local = threading.local()

    def _find(
        self, db: sqlite3.Connection, url: str, now: float, *, below: bool, parent: bool = False
    ) -> list[Lock]:
        return [_lock(row) for row in db.execute(*_nearby(url, now, below=below, parent=parent))]

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use (and again in a forked child)."""
        with self._guard:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._connections = []
                self._local = threading.local()
            connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
            if connection is None:
                connection = sqlite3.connect(
                    self.path,
                    timeout=self.busy_timeout,
                    isolation_level=None,
                    check_same_thread=False,
                )
                connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # only a new file takes it
                _switch_to_wal(connection, self.busy_timeout)
                connection.execute("PRAGMA synchronous = NORMAL")
                self._local.connection = connection
                self._connections.append(connection)
            return connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A transaction holding SQLite's write lock from its start; rolled back on error."""
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise


def _initialise(db: sqlite3.Connection) -> None:
    """Make the table, or convert one of an older layout (inside the caller's transaction)."""
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version >= SCHEMA_VERSION:
        return
    existing = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'locks'")
    if existing.fetchone() is None:
        db.execute(_TABLE.format(name="locks"))
    else:
        db.execute(_TABLE.format(name="locks_converted"))
        db.execute(f"INSERT INTO locks_converted ({_COLUMNS}) SELECT {_COLUMNS} FROM locks")
        db.execute("DROP TABLE locks")
        db.execute("ALTER TABLE locks_converted RENAME TO locks")
    db.execute("CREATE INDEX locks_root ON locks (root)")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _switch_to_wal(connection: sqlite3.Connection, timeout: float) -> None:
    """Put the file in WAL mode, waiting up to ``timeout`` seconds for other writers.

    While a fresh file is still in rollback mode, SQLite refuses the switch at once, without its
    busy wait, if another connection writes: two processes opening a new state folder together
    would otherwise see "database is locked". So the switch is retried.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
        time.sleep(0.01)


def _nearby(
    url: str, now: float, *, below: bool, parent: bool = False
) -> tuple[str, dict[str, object]]:
    """The query for the live locks at ``url``, the depth-infinity ones above it, with ``below``
    those under it and with ``parent`` all at its parent; and its parameters.

    The ancestors are one parameter each (``root IN (:a0, :a1, ...)``, a few index lookups): the
    query text depends only on the URL's depth and the kind of search, so SQLite's statement
    cache keeps one per depth and kind.
    """
    parameters = _ancestor_values(url)
    query = _nearby_query(len(parameters), below, parent and url != "/")
    parameters["url"] = url
    parameters["now"] = now
    if below:
        parameters["start"] = subtree_prefix(url)
        parameters["end"] = subtree_end(url)
    return query, parameters


def _ancestor_values(url: str) -> dict[str, object]:
    """The parameters ``a0``, ``a1`` ... of a query naming ``url``'s ancestors."""
    found = ancestors(url)
    return dict(zip(_ancestor_names(len(found)), found, strict=True))


@functools.cache
def _ancestor_names(count: int) -> tuple[str, ...]:
    return tuple(f"a{index}" for index in range(count))


@functools.cache
def _ancestor_placeholders(count: int) -> str:
    """``:a0, :a1, ...``: where a query takes ``count`` ancestors."""
    return ", ".join(f":{name}" for name in _ancestor_names(count))


@functools.cache
def _nearby_query(ancestor_count: int, below: bool, parent: bool) -> str:
    ancestors = _ancestor_placeholders(ancestor_count)
    depths = _PARENT_DEPTHS if parent else _ABOVE_DEPTHS
    return _AT_OR_ABOVE.format(ancestors=ancestors, depths=depths) + (_BELOW if below else "")


@functools.cache
def _release_query(ancestor_count: int) -> str:
    return _RELEASE.format(ancestors=_ancestor_placeholders(ancestor_count))


@functools.cache
def _insert_unless_conflict(nearby: str) -> str:
    """The statement inserting a lock unless one of the ``nearby`` query's locks conflicts."""
    return _INSERT_UNLESS_CONFLICT.format(nearby=nearby)


def _row(lock: Lock) -> tuple[object, ...]:
    """``lock`` as the values of the table's columns, in their order."""
    return (
        lock.token,
        lock.root,
        lock.depth.value,
        lock.scope.value,
        lock.owner,
        lock.principal,
        lock.timeout,
        lock.expires_at,
    )


def _lock(row: _Row) -> Lock:
    token, root, depth, scope, owner, principal, timeout, expires_at = row
    return Lock(
        token=token,
        root=root,
        depth=Depth(depth),
        scope=Scope(scope),
        owner=owner,
        principal=principal,
        timeout=timeout,
        expires_at=expires_at,
    )
