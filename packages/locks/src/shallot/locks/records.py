"""The lock record and its enumerations: what a lock is, what it covers, what it conflicts with.

A :class:`Lock` is immutable: a refresh yields a new record. The coverage and conflict rules live
here, next to the record, so every storage applies the same RFC 4918 semantics (the Redis storage
repeats them in Lua, where its atomic step runs).
"""

from __future__ import annotations

import dataclasses
import enum
import math
from dataclasses import dataclass
from typing import Literal

from shallot.locks.urls import is_within


class Depth(enum.Enum):
    """How far a lock (or a write) reaches: the resource alone, or it and everything below it."""

    ZERO = "0"
    INFINITY = "infinity"


class Scope(enum.Enum):
    """An exclusive lock admits no other lock on what it covers; shared locks admit shared ones."""

    EXCLUSIVE = "exclusive"
    SHARED = "shared"


@dataclass(frozen=True, slots=True)
class Lock:
    """One write lock, as stored and as returned to callers.

    ``root`` is the canonical URL the lock was taken on; ``owner`` is the ``<owner>`` XML exactly as
    the client sent it (``None`` when it sent none); ``principal`` is the authenticated user who
    took it (``None`` when the server does not authenticate); ``timeout`` is the granted timeout in
    seconds (``None``: infinite) and ``expires_at`` the clock time at which the lock stops existing
    (``None``: never). ``type`` is always ``"write"``, the one lock type RFC 4918 defines.
    """

    token: str
    root: str
    depth: Depth
    scope: Scope
    owner: str | None
    principal: str | None
    timeout: int | None
    expires_at: float | None
    type: Literal["write"] = "write"

    @property
    def exclusive(self) -> bool:
        """Whether the scope is exclusive."""
        return self.scope is Scope.EXCLUSIVE

    def is_expired(self, now: float) -> bool:
        """Whether the lock has stopped existing at clock time ``now``."""
        return self.expires_at is not None and self.expires_at <= now

    def remaining(self, now: float) -> int | None:
        """Whole seconds left at ``now`` (rounded up, at least 0); ``None`` if infinite."""
        if self.expires_at is None:
            return None
        return max(0, math.ceil(self.expires_at - now))

    def covers(self, url: str) -> bool:
        """Whether the lock protects canonical ``url``: its root, or below it for depth infinity."""
        if self.depth is Depth.INFINITY:
            return is_within(url, self.root)
        return url == self.root

    def conflicts_with(self, other: Lock) -> bool:
        """Whether the locks cannot coexist: one is exclusive and either covers the other's root."""
        if not (self.exclusive or other.exclusive):
            return False
        return self.covers(other.root) or other.covers(self.root)

    def refreshed(self, timeout: int | None, expires_at: float | None) -> Lock:
        """The same lock with a new timeout and expiry."""
        return dataclasses.replace(self, timeout=timeout, expires_at=expires_at)
