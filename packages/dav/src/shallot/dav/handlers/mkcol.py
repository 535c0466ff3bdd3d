"""MKCOL: create a collection (RFC 4918 section 9.3).

201 when made; 405 when something is already there; 409 without a parent collection; 415 for a
request with a body (this server defines no MKCOL body); 423 when the parent is locked and its
token was not submitted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.dav.body import has_body
from shallot.dav.errors import DAVError, empty_response

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from shallot.dav.handlers.context import DAVRequest

__all__ = ["handle"]


def handle(request: DAVRequest) -> WSGIApplication:
    """Create the request's collection."""
    request.check_writable_share()
    if has_body(request.environ):
        raise DAVError(415, "MKCOL takes no body")
    info = request.info()
    if info is not None:
        raise DAVError(405, "something already exists at this URL")
    request.check_conditions(None)
    request.check_member_locks(request.target)
    request.provider.make_collection(request.path)
    return empty_response(201)
