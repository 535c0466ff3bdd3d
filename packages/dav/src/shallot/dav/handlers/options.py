"""OPTIONS: what the server and the resource support (RFC 4918 section 9.1 and 10.1).

``DAV: 1, 2`` (class 1 and 2: locking), the methods allowed on the resource in ``Allow``, and
``MS-Author-Via: DAV``, which Microsoft Office and Windows clients look for before they use WebDAV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shallot.dav.errors import empty_response
from shallot.http.request_target import asks_about_the_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

    from shallot.dav.handlers.context import DAVRequest

__all__ = ["allowed_methods", "handle"]

_READ = ("OPTIONS", "GET", "HEAD", "PROPFIND")
_WRITE_EXISTING = ("DELETE", "PROPPATCH", "COPY", "MOVE", "LOCK", "UNLOCK")
_EVERY_METHOD = (*_READ, "PUT", "MKCOL", *_WRITE_EXISTING)


def allowed_methods(request: DAVRequest) -> list[str]:
    """The methods that may succeed on the request's resource, as it is now."""
    info = request.info()
    if request.provider.readonly:
        return list(_READ) if info is not None else ["OPTIONS"]
    if info is None:
        return ["OPTIONS", "PUT", "MKCOL", "LOCK"]
    methods = [*_READ, *_WRITE_EXISTING]
    if not info.is_collection:
        methods.insert(4, "PUT")
    return methods


def handle(request: DAVRequest) -> WSGIApplication:
    """Answer 200 with the capability headers and no body.

    ``OPTIONS *`` asks about the server as a whole (RFC 9110, section 9.3.7): every method it
    implements.
    """
    if asks_about_the_server(request.environ):
        methods = list(_EVERY_METHOD)
    else:
        methods = allowed_methods(request)
    headers = [("DAV", "1, 2"), ("MS-Author-Via", "DAV"), ("Allow", ", ".join(methods))]
    return empty_response(200, headers)
