"""The errors and the warning of shallot.sessions, and the logger they are reported on.

A cookie comes from the client, so a bad one is never the server's fault: the codec raises
:class:`InvalidSession` (or its subclasses) with the reason, and the sessions catch it, log it on
:data:`logger` (``shallot.sessions``) at WARNING and carry on with an empty session, so a tampered,
expired or oversized cookie can never turn into a 500. The errors stay public for callers of
:class:`~shallot.sessions.cookie_codec.CookieCodec` who want the reason.

:class:`SessionCookieTooLarge` is the other direction: a cookie this server is about to send that
browsers would drop. It is a :class:`UserWarning` (a programming problem: too much in a cookie
session), issued with :func:`warnings.warn` and logged.
"""

from __future__ import annotations

import logging

__all__ = [
    "ExpiredSession",
    "IncompatibleStore",
    "InvalidSession",
    "OversizedSession",
    "SessionCookieTooLarge",
    "logger",
]

logger = logging.getLogger("shallot.sessions")
"""Where rejected cookies and oversized cookies are reported."""


class InvalidSession(ValueError):
    """A session cookie that cannot be trusted: malformed, tampered with, or signed with an unknown
    secret. ``reason`` says which check failed (never the secret or the expected signature)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ExpiredSession(InvalidSession):
    """A genuine session cookie whose signed expiry (``expired_at``, epoch seconds) has passed."""

    def __init__(self, expired_at: float) -> None:
        super().__init__(f"the session expired at {expired_at:.0f}")
        self.expired_at = expired_at


class OversizedSession(InvalidSession):
    """A session cookie of ``size`` bytes, over the ``limit`` this server ever sends; not read."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the session cookie has {size} bytes, over the limit of {limit}")
        self.size = size
        self.limit = limit


class SessionCookieTooLarge(UserWarning):
    """A ``Set-Cookie`` of ``size`` bytes, over the ``limit`` browsers keep: it will be dropped."""

    def __init__(self, name: str, size: int, limit: int) -> None:
        super().__init__(
            f"the session cookie {name!r} has {size} bytes, over the {limit} browsers keep: they "
            "will drop it; keep less in the session or use a server-side store"
        )
        self.name = name
        self.size = size
        self.limit = limit


class IncompatibleStore(RuntimeError):
    """A session store file written by a newer schema (``version``) than this code knows."""

    def __init__(self, path: str, version: int) -> None:
        super().__init__(f"{path}: session store schema version {version} is not supported")
        self.path = path
        self.version = version
