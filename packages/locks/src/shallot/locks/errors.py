"""The errors shallot.locks raises: one typed exception per fault, carrying what a server needs.

Every error derives from :class:`LockError` and has a ``status``: the HTTP status a WebDAV server
sends for it. :class:`LockConflict` also carries the conflicting locks and the RFC 4918 precondition
to report, so a server can build its ``423 Locked`` body (``no-conflicting-lock`` or
``lock-token-submitted`` with each lock's root) from the exception alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from shallot.locks.records import Lock

Condition = Literal["no-conflicting-lock", "lock-token-submitted"]
"""The RFC 4918 precondition a ``423 Locked`` response names."""


class LockError(Exception):
    """Base of every error raised by shallot.locks."""

    status: ClassVar[int] = 500
    """The HTTP status a WebDAV server answers with."""


class LockConflict(LockError):
    """``url`` cannot be locked or written because of ``locks``, held by others or not submitted.

    ``condition`` is ``"no-conflicting-lock"`` when a new lock was refused (LOCK) and
    ``"lock-token-submitted"`` when a write was refused (PUT, DELETE, MOVE ...): the precondition
    element the ``423 Locked`` body names, with each conflicting lock's root (:attr:`roots`) as an
    ``href``.
    """

    status: ClassVar[int] = 423

    def __init__(self, url: str, locks: tuple[Lock, ...], condition: Condition) -> None:
        self.url = url
        self.locks = locks
        self.condition: Condition = condition
        super().__init__(f"{url} is locked by {', '.join(self.roots)} ({condition})")

    @property
    def roots(self) -> tuple[str, ...]:
        """The conflicting locks' roots, each once, in the order of :attr:`locks`."""
        return tuple(dict.fromkeys(lock.root for lock in self.locks))


class LockNotFound(LockError):
    """No live lock has ``token`` (never taken, released or expired), or it does not cover ``url``.

    ``status`` is UNLOCK's answer (``409 Conflict``, precondition
    ``lock-token-matches-request-uri``); for a refresh whose token is unknown a server answers ``412
    Precondition Failed`` instead (RFC 4918 section 9.10).
    """

    status: ClassVar[int] = 409

    def __init__(self, token: str, url: str | None = None) -> None:
        self.token = token
        self.url = url
        where = "" if url is None else f" on {url}"
        super().__init__(f"no live lock {token}{where}")


class LockOwnerMismatch(LockError):
    """``principal`` tried to unlock or refresh ``lock``, which belongs to another principal."""

    status: ClassVar[int] = 403

    def __init__(self, lock: Lock, principal: str | None) -> None:
        self.lock = lock
        self.principal = principal
        super().__init__(f"{lock.token} belongs to {lock.principal!r}, not {principal!r}")


class InvalidTimeout(LockError):
    """A ``Timeout`` header value or a timeout in seconds that cannot be used, and why."""

    status: ClassVar[int] = 400

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"invalid timeout {value!r}: {reason}")


class InvalidURL(LockError):
    """A URL that has no canonical form (a dot segment, a bad escape ...), and why."""

    status: ClassVar[int] = 400

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"invalid URL {url!r}: {reason}")
