"""The ``LockStorage`` protocol: where locks live, and the one atomic step that makes locking safe.

A storage keeps :class:`~shallot.locks.records.Lock` records and answers the manager's questions
about them. It receives canonical URLs only (the manager normalises) and the manager's clock reading
as ``now``, so expiry is decided by one clock however many processes share the storage.

What every implementation must guarantee:

- :meth:`LockStorage.create` checks for conflicts and stores the lock as **one atomic step**: of any
  number of threads, processes or machines racing for conflicting locks, exactly one wins.
- A lock whose ``expires_at`` is at or before ``now`` is invisible to every read at once, whether or
  not it has been purged yet; purging happens lazily, with no background thread.
- Nothing is half-done: an operation that fails leaves the stored locks as they were.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from shallot.locks.records import Lock


class LockStorage(Protocol):
    """Keeps locks for a :class:`~shallot.locks.manager.LockManager` (memory, SQLite, Redis ...)."""

    def create(self, lock: Lock, now: float) -> list[Lock]:
        """Store ``lock`` unless a live lock conflicts (:meth:`Lock.conflicts_with`), atomically.

        Returns the conflicting live locks; an empty list means ``lock`` was stored.
        """
        ...

    def get(self, token: str, now: float) -> Lock | None:
        """The live lock with ``token``, or ``None``."""
        ...

    def find(self, url: str, now: float, *, below: bool, parent: bool = False) -> list[Lock]:
        """The live locks rooted at ``url`` or, with depth infinity, at one of its ancestors.

        With ``below``, also every live lock rooted strictly below ``url``. With ``parent``, also
        every live lock rooted at ``url``'s parent, whatever its depth: with the others, those are
        the locks on the parent collection, whose membership a write that creates or removes
        ``url`` changes. In no particular order.
        """
        ...

    def refresh(
        self, token: str, timeout: int | None, expires_at: float | None, now: float
    ) -> Lock | None:
        """Give the live lock ``token`` a new timeout and expiry; the updated lock, or ``None``."""
        ...

    def release(self, token: str, url: str, principal: str | None, now: float) -> bool:
        """Delete the live lock ``token`` if it covers ``url`` (:meth:`Lock.covers`) and was
        taken by ``principal`` or by no principal, as one atomic step; whether it did."""
        ...

    def delete_tree(self, url: str) -> None:
        """Delete every lock rooted at ``url`` or below it (``/a/b`` for ``/a``, never ``/ab``)."""
        ...

    def close(self) -> None:
        """Release connections; the storage is not used afterwards."""
        ...
