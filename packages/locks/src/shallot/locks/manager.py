"""``LockManager``: the WebDAV locking rules of RFC 4918 (sections 6 to 9) over any ``LockStorage``.

The manager normalises URLs, grants timeouts, mints tokens, checks principals and decides what a
write needs; the storage keeps the records and makes "no conflict, so store it" one atomic step. A
WebDAV server calls:

- LOCK: :meth:`LockManager.lock` (a new lock) or :meth:`LockManager.refresh` (an ``If`` header, no
  body);
- UNLOCK: :meth:`LockManager.unlock`;
- PROPFIND ``lockdiscovery``: :meth:`LockManager.discover`;
- before any write (PUT, PROPPATCH, DELETE, MOVE, COPY onto a destination, MKCOL ...):
  :meth:`LockManager.check_write_permission` on each URL the method changes. Adding or removing a
  member changes its parent collection too, so the server also checks the parent at depth 0.
- after a DELETE: :meth:`LockManager.delete_tree`; after a MOVE: :meth:`LockManager.move_tree`. A
  COPY needs no call: locks are never copied, and the copy is covered by whatever depth-infinity
  locks cover its destination's ancestors.

Rules a caller may rely on: an exclusive lock coexists with no other lock on what it covers, shared
locks coexist with each other; a depth-infinity lock covers every descendant of its root, so it
conflicts with any lock below its root (and with a depth-infinity lock above it) that it cannot
share with. Expired locks are gone for every reader as soon as the clock passes their expiry.
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING

from shallot.locks.errors import LockConflict, LockNotFound, LockOwnerMismatch
from shallot.locks.records import Depth, Lock, Scope
from shallot.locks.timeouts import cap_timeout, check_seconds
from shallot.locks.urls import ancestors, is_within, normalize_url

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable

    from shallot.locks.storage import LockStorage

DEFAULT_MAX_TIMEOUT = 24 * 3600
"""One day: long enough for any editing session (clients refresh), short enough that a crashed
client's lock clears by itself."""


class LockManager:
    """Takes, refreshes, releases and checks WebDAV write locks kept in ``storage``.

    ``max_timeout`` caps every granted timeout in seconds (an ``Infinite`` request gets exactly
    that); ``None`` lets locks live forever. ``clock`` returns the current time in seconds; every
    expiry is measured with it. Thread-safe, and process-safe as far as the storage is.
    """

    def __init__(
        self,
        storage: LockStorage,
        *,
        max_timeout: int | None = DEFAULT_MAX_TIMEOUT,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.storage = storage
        self.max_timeout = None if max_timeout is None else check_seconds(max_timeout)
        self.clock = clock

    def lock(
        self,
        url: str,
        *,
        depth: Depth = Depth.INFINITY,
        exclusive: bool = True,
        owner: str | None = None,
        principal: str | None = None,
        timeout: int | None = None,
    ) -> Lock:
        """Take a new write lock on ``url`` for ``principal``, or raise ``LockConflict``.

        ``owner`` is the ``<owner>`` XML, kept verbatim; ``timeout`` is the requested seconds
        (``None``: infinite, as :func:`~shallot.locks.timeouts.parse_timeout` returns), capped by
        ``max_timeout``. The conflict raised has condition ``no-conflicting-lock`` and the live
        locks in the way. Raises ``InvalidURL`` or ``InvalidTimeout`` for bad input, before anything
        is stored.
        """
        root = normalize_url(url)
        granted = self._grant(timeout)
        now = self.clock()
        new = Lock(
            token=f"urn:uuid:{uuid.uuid4()}",
            root=root,
            depth=depth,
            scope=Scope.EXCLUSIVE if exclusive else Scope.SHARED,
            owner=owner,
            principal=principal,
            timeout=granted,
            expires_at=None if granted is None else now + granted,
        )
        conflicts = self.storage.create(new, now)
        if conflicts:
            raise LockConflict(root, _ordered(conflicts), "no-conflicting-lock")
        return new

    def refresh(
        self,
        token: str,
        *,
        url: str | None = None,
        timeout: int | None = None,
        principal: str | None = None,
    ) -> Lock:
        """Restart the timeout of lock ``token`` (``timeout`` as for :meth:`lock`); the new record.

        With ``url``, the lock must cover it. Raises ``LockNotFound`` (no such live lock, or not on
        ``url``) or ``LockOwnerMismatch`` (the lock is another principal's).
        """
        granted = self._grant(timeout)
        self._owned(token, url, principal)
        now = self.clock()
        refreshed = self.storage.refresh(
            token, granted, None if granted is None else now + granted, now
        )
        if refreshed is None:
            raise LockNotFound(token, url)
        return refreshed

    def unlock(self, url: str, token: str, *, principal: str | None = None) -> None:
        """Release lock ``token``, which must cover ``url`` and belong to ``principal``.

        A lock taken without a principal may be released by anyone holding its token. Raises
        ``LockNotFound`` or ``LockOwnerMismatch``.
        """
        target = normalize_url(url)
        if self.storage.release(token, target, principal, self.clock()):
            return
        self._owned(token, target, principal)  # raises why it was not released
        raise LockNotFound(token, target)  # it was, by someone else, meanwhile

    def get(self, token: str) -> Lock | None:
        """The live lock with ``token``, or ``None``."""
        return self.storage.get(token, self.clock())

    def discover(self, url: str) -> list[Lock]:
        """The live locks on ``url``: those rooted at it and the depth-infinity ones above it.

        Ordered by root (ancestors first), then token.
        """
        return list(_ordered(self.storage.find(normalize_url(url), self.clock(), below=False)))

    def discover_tree(self, url: str) -> list[Lock]:
        """The live locks on ``url`` and above it (as :meth:`discover`) and every one below it.

        One storage read for a collection and all its members: a server answering ``PROPFIND``
        with ``Depth: 1`` picks each member's locks from this list with :meth:`Lock.covers`
        instead of asking once per member. Ordered as :meth:`discover`.
        """
        return list(_ordered(self.storage.find(normalize_url(url), self.clock(), below=True)))

    def check_write_permission(
        self,
        url: str,
        depth: Depth,
        tokens_submitted: Collection[str],
        principal: str | None = None,
        *,
        parent: bool = False,
    ) -> None:
        """Raise ``LockConflict`` (``lock-token-submitted``) unless ``principal`` may write ``url``.

        ``depth`` is ``ZERO`` for a change to the resource alone and ``INFINITY`` for one to its
        whole tree (DELETE or MOVE of a collection). ``tokens_submitted`` are the lock tokens from
        the request's ``If`` header, without angle brackets. A token counts only for the principal
        that took its lock (any principal for a lock taken without one). ``parent`` is for a
        write that creates or removes ``url`` (PUT of a new file, MKCOL, DELETE, the two ends of a
        MOVE): it changes the membership of ``url``'s parent collection, which is checked too, in
        the same read of the storage.

        Each resource the write touches must be unlocked, or covered by at least one lock whose
        token was submitted: an exclusive lock's own token, or one of the shared locks on it. The
        resources checked are ``url``, every locked URL below it (for ``INFINITY``), for
        ``INFINITY`` the members of each of those that hold no lock of their own (covered by the
        depth-infinity locks only), and with ``parent`` the parent collection. The error names
        every lock that is in the way.
        """
        target = normalize_url(url)
        recursive = depth is Depth.INFINITY
        found = self.storage.find(target, self.clock(), below=recursive, parent=parent)
        held = {
            lock.token
            for lock in found
            if lock.token in tokens_submitted and lock.principal in (None, principal)
        }
        points = {target}
        if recursive:
            points.update(
                lock.root for lock in found if lock.root != target and is_within(lock.root, target)
            )
        groups: list[list[Lock]] = []  # each must be empty or hold a submitted lock
        for point in sorted(points):
            covering = [lock for lock in found if lock.covers(point)]
            groups.append(covering)
            if recursive:
                groups.append([lock for lock in covering if lock.depth is Depth.INFINITY])
        if parent and target != "/":
            above = ancestors(target)[0]
            groups.append([lock for lock in found if lock.covers(above)])
        blocking = [
            lock
            for group in groups
            if not any(lock.token in held for lock in group)
            for lock in group
        ]
        if blocking:
            raise LockConflict(target, _ordered(blocking), "lock-token-submitted")

    def delete_tree(self, url: str) -> None:
        """Remove every lock rooted at ``url`` or below it (after a DELETE)."""
        self.storage.delete_tree(normalize_url(url))

    def move_tree(self, source: str, destination: str) -> None:
        """Remove the locks a MOVE ends: those of the moved tree, and those of the tree it replaced.

        Locks never move with a resource (RFC 4918 section 7.5); a replaced destination loses its
        own locks as a DELETE would. Depth-infinity locks on the destination's ancestors stay, and
        now cover what arrived.
        """
        self.storage.delete_tree(normalize_url(source))
        self.storage.delete_tree(normalize_url(destination))

    def _grant(self, timeout: int | None) -> int | None:
        if timeout is not None:
            check_seconds(timeout)
        return cap_timeout(timeout, self.max_timeout)

    def _owned(self, token: str, url: str | None, principal: str | None) -> Lock:
        """The live lock ``token``, checked to cover ``url`` and to belong to ``principal``."""
        target = None if url is None else normalize_url(url)
        lock = self.storage.get(token, self.clock())
        if lock is None or (target is not None and not lock.covers(target)):
            raise LockNotFound(token, target)
        if lock.principal is not None and lock.principal != principal:
            raise LockOwnerMismatch(lock, principal)
        return lock


def _ordered(locks: Iterable[Lock]) -> tuple[Lock, ...]:
    """Each lock once, by root then token: a stable order for responses and tests."""
    unique = {lock.token: lock for lock in locks}
    return tuple(sorted(unique.values(), key=lambda lock: (lock.root, lock.token)))
