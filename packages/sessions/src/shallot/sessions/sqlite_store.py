"""``SQLiteSessionStore``: server-side sessions in one SQLite file, the embedded default.

SQLite ships with Python and serves every process on one machine (``gunicorn -w 4``) without a
server process:

- **One row per key.** ``session_values`` is keyed ``(session_id, key)``, and a save writes only the
  keys the request changed (an upsert or a delete per key), so concurrent requests of one session
  that change different keys both keep their writes, and two writes of one key end as one of them.
- **Atomic saves.** Each save is one ``BEGIN IMMEDIATE`` transaction: it takes the write lock up
  front, so a process that finds it taken waits (up to ``timeout`` seconds) instead of failing or
  interleaving, and a process killed mid-save leaves the old state. Id rotation (moving every row
  to the new id) happens in the same transaction as the request's own changes.
- **WAL mode.** Readers never wait for the writer; a load is one statement, so it sees one
  committed state.
- **Expiry** is a column of ``sessions``: a load ignores expired sessions, and saves delete them all
  at most once per ``purge_interval`` seconds (or call :meth:`SQLiteSessionStore.purge_expired`).

Within a process one connection serves every thread, behind a lock. Open the store after forking,
never before: a connection must not cross a ``fork``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from typing import TYPE_CHECKING

from shallot.sessions.errors import IncompatibleStore

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from shallot.sessions.store import SessionChanges

__all__ = ["SCHEMA_VERSION", "SQLiteSessionStore"]

SCHEMA_VERSION = 1
"""Stored in ``PRAGMA user_version``; a file with a higher version is refused, not rewritten."""

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS sessions ("
    " id TEXT PRIMARY KEY, expires_at REAL NOT NULL) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at)",
    "CREATE TABLE IF NOT EXISTS session_values ("
    " session_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY (session_id, key)) WITHOUT ROWID",
)
_LOAD = (
    "SELECT key, value FROM session_values WHERE session_id = ?"
    " AND EXISTS (SELECT 1 FROM sessions WHERE id = ? AND expires_at > ?)"
)
_UPSERT_VALUE = (
    "INSERT INTO session_values (session_id, key, value) VALUES (?, ?, ?)"
    " ON CONFLICT (session_id, key) DO UPDATE SET value = excluded.value"
)
_UPSERT_SESSION = (
    "INSERT INTO sessions (id, expires_at) VALUES (?, ?)"
    " ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at"
)


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


class SQLiteSessionStore:
    """A :class:`~shallot.sessions.store.SessionStore` in the SQLite file ``path`` (made if
    missing; ``":memory:"`` works for one process).

    ``timeout`` is how many seconds a save waits for another process's save before raising
    :class:`sqlite3.OperationalError`. ``clock`` gives the time in epoch seconds (tests pass their
    own). A file written by a newer schema raises
    :class:`~shallot.sessions.errors.IncompatibleStore`. Use it as a context manager, or call
    :meth:`close`.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        timeout: float = 30.0,
        purge_interval: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        self._clock = clock
        self._purge_interval = purge_interval
        self._next_purge = clock() + purge_interval
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
                for statement in _SCHEMA:
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif version != SCHEMA_VERSION:
                raise IncompatibleStore(self.path, version)

    def load(self, session_id: str) -> dict[str, str] | None:
        """The session's values, read in one statement; ``None`` for no live session."""
        with self._lock:
            rows = self._connection.execute(
                _LOAD, (session_id, session_id, self._clock())
            ).fetchall()
        return dict(rows) or None

    def save(self, session_id: str, changes: SessionChanges, ttl: float) -> None:
        """Apply ``changes`` in one write transaction (see the module documentation)."""
        with self._lock, _Transaction(self._connection) as connection:
            now = self._clock()
            if now >= self._next_purge:
                self._purge(connection, now)
            previous = changes.previous_id
            if previous is not None and previous != session_id:
                connection.execute("DELETE FROM session_values WHERE session_id = ?", (session_id,))
                if self._alive(connection, previous, now):
                    connection.execute(
                        "UPDATE session_values SET session_id = ? WHERE session_id = ?",
                        (session_id, previous),
                    )
                else:
                    connection.execute(
                        "DELETE FROM session_values WHERE session_id = ?", (previous,)
                    )
                connection.execute("DELETE FROM sessions WHERE id = ?", (previous,))
            elif not self._alive(connection, session_id, now):
                connection.execute("DELETE FROM session_values WHERE session_id = ?", (session_id,))
            connection.executemany(
                "DELETE FROM session_values WHERE session_id = ? AND key = ?",
                ((session_id, key) for key in changes.deleted),
            )
            connection.executemany(
                _UPSERT_VALUE, ((session_id, key, value) for key, value in changes.values.items())
            )
            if connection.execute(
                "SELECT 1 FROM session_values WHERE session_id = ? LIMIT 1", (session_id,)
            ).fetchone():
                connection.execute(_UPSERT_SESSION, (session_id, now + ttl))
            else:
                connection.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    @staticmethod
    def _alive(connection: sqlite3.Connection, session_id: str, now: float) -> bool:
        row = connection.execute(
            "SELECT 1 FROM sessions WHERE id = ? AND expires_at > ?", (session_id, now)
        ).fetchone()
        return row is not None

    def delete(self, session_id: str) -> None:
        """Remove the session and its values in one transaction."""
        with self._lock, _Transaction(self._connection) as connection:
            connection.execute("DELETE FROM session_values WHERE session_id = ?", (session_id,))
            connection.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def purge_expired(self) -> int:
        """Delete every expired session in one transaction; returns how many."""
        with self._lock, _Transaction(self._connection) as connection:
            return self._purge(connection, self._clock())

    def _purge(self, connection: sqlite3.Connection, now: float) -> int:
        self._next_purge = now + self._purge_interval
        connection.execute(
            "DELETE FROM session_values WHERE session_id IN"
            " (SELECT id FROM sessions WHERE expires_at <= ?)",
            (now,),
        )
        return connection.execute("DELETE FROM sessions WHERE expires_at <= ?", (now,)).rowcount

    def close(self) -> None:
        """Close the connection; what was committed stays in the file."""
        with self._lock:
            self._connection.close()

    def __enter__(self) -> SQLiteSessionStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
