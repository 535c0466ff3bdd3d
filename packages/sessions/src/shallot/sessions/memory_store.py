"""``MemorySessionStore``: server-side sessions in this process's memory.

For tests, development and single-process servers: sessions vanish with the process and are not
shared with other workers (use :class:`~shallot.sessions.sqlite_store.SQLiteSessionStore` or
:class:`~shallot.sessions.redis_store.RedisSessionStore` for those). One lock makes every operation
atomic between threads; expired sessions are dropped when read, and all of them at most once per
``purge_interval`` seconds while saving, so memory does not grow with abandoned sessions.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from shallot.sessions.store import SessionChanges

__all__ = ["MemorySessionStore"]


class MemorySessionStore:
    """A :class:`~shallot.sessions.store.SessionStore` in a dict. ``clock`` gives the time in
    epoch seconds (tests pass their own)."""

    def __init__(
        self, *, purge_interval: float = 60.0, clock: Callable[[], float] = time.time
    ) -> None:
        self._sessions: dict[str, tuple[float, dict[str, str]]] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._purge_interval = purge_interval
        self._next_purge = clock() + purge_interval

    def __len__(self) -> int:
        """How many sessions are held, expired ones not yet dropped included."""
        return len(self._sessions)

    def _live(self, session_id: str, now: float) -> dict[str, str] | None:
        """The values of a live session; an expired one is dropped. Call with the lock held."""
        entry = self._sessions.get(session_id)
        if entry is None:
            return None
        if entry[0] <= now:
            del self._sessions[session_id]
            return None
        return entry[1]

    def load(self, session_id: str) -> dict[str, str] | None:
        """A copy of the session's values, or ``None``."""
        with self._lock:
            values = self._live(session_id, self._clock())
            return None if values is None else dict(values)

    def save(self, session_id: str, changes: SessionChanges, ttl: float) -> None:
        """Apply ``changes`` under the lock (see the protocol)."""
        with self._lock:
            now = self._clock()
            if now >= self._next_purge:
                self._purge(now)
            if changes.previous_id is not None and changes.previous_id != session_id:
                values = self._live(changes.previous_id, now) or {}
                self._sessions.pop(changes.previous_id, None)
            else:
                values = self._live(session_id, now) or {}
            for key in changes.deleted:
                values.pop(key, None)
            values.update(changes.values)
            if values:
                self._sessions[session_id] = (now + ttl, values)
            else:
                self._sessions.pop(session_id, None)

    def delete(self, session_id: str) -> None:
        """Forget the session."""
        with self._lock:
            self._sessions.pop(session_id, None)

    def purge_expired(self) -> int:
        """Drop every expired session; returns how many. (Saving does it now and then.)"""
        with self._lock:
            return self._purge(self._clock())

    def _purge(self, now: float) -> int:
        self._next_purge = now + self._purge_interval
        expired = [key for key, (expires_at, _) in self._sessions.items() if expires_at <= now]
        for key in expired:
            del self._sessions[key]
        return len(expired)

    def close(self) -> None:
        """Forget every session."""
        with self._lock:
            self._sessions.clear()
