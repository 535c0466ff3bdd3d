"""The protocol every server-side session store implements, and the change record it applies.

A store keeps each session as a flat map of keys to JSON texts, under a random id, until it
expires. :class:`~shallot.sessions.server_session.ServerSession` encodes and decodes the JSON and
hands the store only what a request changed, as one :class:`SessionChanges`; the store applies it
in one atomic step. That is what lets two concurrent requests of one session change different keys
without losing either write, and makes two writes of one key end as one of them, never a mix:
stores save per key, never the whole session read earlier.

Implementations: :class:`~shallot.sessions.memory_store.MemorySessionStore` (one process),
:class:`~shallot.sessions.sqlite_store.SQLiteSessionStore` (processes on one machine, the
embedded default) and :class:`~shallot.sessions.redis_store.RedisSessionStore` (several machines).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["SessionChanges", "SessionStore"]


@dataclasses.dataclass(frozen=True, slots=True)
class SessionChanges:
    """What one request changed in a session.

    ``values`` maps keys to their new JSON texts; ``deleted`` are the keys removed;
    ``previous_id``, when given, is the id the session was stored under until now (id rotation):
    its data moves to the new id, and the old id stops existing, in the same atomic step.
    """

    values: Mapping[str, str]
    deleted: frozenset[str] = frozenset()
    previous_id: str | None = None


class SessionStore(Protocol):
    """Where server-side sessions live. Every method may be called from several threads."""

    def load(self, session_id: str) -> dict[str, str] | None:
        """The keys and JSON texts of a live session, read as one consistent state; ``None``
        when no session has that id (never made, expired, destroyed, or emptied)."""

    def save(self, session_id: str, changes: SessionChanges, ttl: float) -> None:
        """Apply ``changes`` to session ``session_id`` atomically, creating it if needed (an
        expired session's old data is not revived), and make it expire ``ttl`` seconds from now.
        A session left with no keys is removed."""

    def delete(self, session_id: str) -> None:
        """Remove the session; nothing happens when there is none."""

    def close(self) -> None:
        """Release connections; what was saved stays saved (except in a memory store)."""
