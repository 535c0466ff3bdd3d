"""UNLOCK: release a lock (RFC 4918 section 9.11).

The ``Lock-Token`` header names the lock; it must cover the request's resource (409
``lock-token-matches-request-uri`` otherwise, or when no such lock lives) and belong to the
requesting user (403). 204 when released.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.dav.errors import DAVError, empty_response
from shallot.locks import InvalidURL, LockNotFound, LockOwnerMismatch

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from shallot.dav.handlers.context import DAVRequest

__all__ = ["handle"]


def handle(request: DAVRequest) -> WSGIApplication:
    """Release the lock the ``Lock-Token`` header names."""
    value = (request.header("HTTP_LOCK_TOKEN") or "").strip()
    if len(value) < 3 or value[0] != "<" or value[-1] != ">":
        raise DAVError(400, "UNLOCK needs a Lock-Token header: <token>")
    try:
        request.settings.locks.unlock(request.url, value[1:-1], principal=request.principal)
    except (LockNotFound, InvalidURL):
        raise DAVError(409, condition="lock-token-matches-request-uri") from None
    except LockOwnerMismatch:
        raise DAVError(403, "the lock belongs to another user") from None
    return empty_response(204)
