"""DELETE: remove a resource, a collection with everything in it (RFC 4918 section 9.6).

Locks anywhere in the tree, and a depth-0 lock on the parent (its membership changes), must have
their tokens submitted (423 otherwise, before anything is removed). 204 when everything went;
207 naming the members that could not be removed (their ancestors stay too, and are not listed,
as section 9.6.1 advises). The locks and dead properties of a removed tree go with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.dav.errors import DAVError, empty_response
from shallot.dav.multistatus import MultistatusResponse, response_element
from shallot.locks import Depth

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from shallot.dav.errors import Failure
    from shallot.dav.handlers.context import DAVRequest
    from shallot.dav.shares import Target

__all__ = ["failures_response", "handle"]


def handle(request: DAVRequest) -> WSGIApplication:
    """Delete the request's resource."""
    request.check_writable_share()
    info = request.info()
    if info is None:
        raise DAVError(404)
    if request.path == "/":
        raise DAVError(403, "a share's root cannot be deleted")
    if info.is_collection:
        request.depth("infinity", ("infinity",))
    request.check_conditions(info)
    request.check_member_locks(request.target, Depth.INFINITY if info.is_collection else Depth.ZERO)
    failures = request.provider.delete(request.path)
    if failures:
        return failures_response(request, request.target, failures)
    request.settings.locks.delete_tree(request.url)
    request.settings.props.delete_tree(request.url)
    return empty_response(204)


def failures_response(
    request: DAVRequest, target: Target, failures: list[Failure]
) -> WSGIApplication:
    """A 207 listing the members of ``target``'s share that failed, by their hrefs."""
    share = target.share
    return MultistatusResponse(
        response_element(request.href(share.url(failure.href)), failure.status)
        for failure in failures
    )
