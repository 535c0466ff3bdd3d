"""``MemoryLockStorage``: locks in this process's memory, for one process (tests, one worker).

Every operation runs under one ``threading.Lock``, which makes the conflict check and the insert one
step for all threads. Locked URLs are also kept in a sorted list, so the locks below a collection
are one bisected range rather than a scan of every lock, and expiry times in a heap, so expired
locks are purged at the start of each operation in time proportional to how many expired. Locks
vanish when the process ends.
"""

from __future__ import annotations

import bisect
import heapq
import threading

from shallot.locks.records import Depth, Lock
from shallot.locks.urls import ancestors, subtree_end, subtree_prefix


class MemoryLockStorage:
    """A :class:`~shallot.locks.storage.LockStorage` in memory, safe for any number of threads."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._locks: dict[str, Lock] = {}
        self._tokens_at: dict[str, set[str]] = {}
        self._roots: list[str] = []
        self._expiries: list[tuple[float, str]] = []

    def create(self, lock: Lock, now: float) -> list[Lock]:
        """Store ``lock`` unless a live lock conflicts; the conflicting locks (none: stored)."""
        with self._mutex:
            self._purge(now)
            nearby = self._find(lock.root, below=lock.depth is Depth.INFINITY)
            conflicts = [other for other in nearby if lock.conflicts_with(other)]
            if not conflicts:
                self._add(lock)
            return conflicts

    def get(self, token: str, now: float) -> Lock | None:
        """The live lock with ``token``, or ``None``."""
        with self._mutex:
            self._purge(now)
            return self._locks.get(token)

    def find(self, url: str, now: float, *, below: bool, parent: bool = False) -> list[Lock]:
        """Live locks on ``url``, depth-infinity ones above it, with ``below`` those under it,
        with ``parent`` all of those rooted at its parent."""
        with self._mutex:
            self._purge(now)
            return self._find(url, below=below, parent=parent)

    def refresh(
        self, token: str, timeout: int | None, expires_at: float | None, now: float
    ) -> Lock | None:
        """Give the live lock ``token`` a new timeout and expiry; the updated lock or ``None``."""
        with self._mutex:
            self._purge(now)
            lock = self._locks.get(token)
            if lock is None:
                return None
            updated = lock.refreshed(timeout, expires_at)
            self._locks[token] = updated
            if expires_at is not None:
                heapq.heappush(self._expiries, (expires_at, token))
            return updated

    def release(self, token: str, url: str, principal: str | None, now: float) -> bool:
        """Delete the live lock ``token`` if it covers ``url`` and is ``principal``'s or
        nobody's; whether it did."""
        with self._mutex:
            self._purge(now)
            lock = self._locks.get(token)
            if lock is None or not lock.covers(url) or lock.principal not in (None, principal):
                return False
            return self._discard(token)

    def delete_tree(self, url: str) -> None:
        """Delete every lock rooted at ``url`` or below it."""
        with self._mutex:
            for root in [url, *self._roots_below(url)]:
                for token in list(self._tokens_at.get(root, ())):
                    self._discard(token)

    def close(self) -> None:
        """Nothing to release."""

    def _find(self, url: str, *, below: bool, parent: bool = False) -> list[Lock]:
        found = [self._locks[token] for token in self._tokens_at.get(url, ())]
        for distance, ancestor in enumerate(ancestors(url)):
            every_depth = parent and distance == 0
            found.extend(
                lock
                for lock in (self._locks[token] for token in self._tokens_at.get(ancestor, ()))
                if every_depth or lock.depth is Depth.INFINITY
            )
        if below:
            for root in self._roots_below(url):
                found.extend(self._locks[token] for token in self._tokens_at[root])
        return found

    def _roots_below(self, url: str) -> list[str]:
        start = bisect.bisect_left(self._roots, subtree_prefix(url))
        end = bisect.bisect_left(self._roots, subtree_end(url))
        return [root for root in self._roots[start:end] if root != url]

    def _add(self, lock: Lock) -> None:
        self._locks[lock.token] = lock
        tokens = self._tokens_at.get(lock.root)
        if tokens is None:
            tokens = self._tokens_at[lock.root] = set()
            bisect.insort(self._roots, lock.root)
        tokens.add(lock.token)
        if lock.expires_at is not None:
            heapq.heappush(self._expiries, (lock.expires_at, lock.token))

    def _discard(self, token: str) -> bool:
        lock = self._locks.pop(token, None)
        if lock is None:
            return False
        tokens = self._tokens_at[lock.root]
        tokens.discard(token)
        if not tokens:
            del self._tokens_at[lock.root]
            del self._roots[bisect.bisect_left(self._roots, lock.root)]
        return True

    def _purge(self, now: float) -> None:
        """Drop every lock expired at ``now``; heap entries left behind by a refresh are skipped."""
        while self._expiries and self._expiries[0][0] <= now:
            expires_at, token = heapq.heappop(self._expiries)
            lock = self._locks.get(token)
            if lock is not None and lock.expires_at == expires_at:
                self._discard(token)
