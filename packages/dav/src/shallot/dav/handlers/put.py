"""PUT: store a resource's content, whole or not at all.

The body streams to the provider in 1 MiB chunks, with a ``Content-Length`` or chunked (macOS
Finder sends no length), and the provider swaps the new content in only once it is complete
(:meth:`~shallot.dav.provider.DAVProvider.write`): an aborted upload leaves the old file intact.
201 for a new resource, 204 for a replaced one, with the new ``ETag``; 409 without a parent
collection, 405 on a collection. ``X-OC-Mtime`` (ownCloud, Nextcloud and rclone clients) sets the
modification time, acknowledged with ``X-OC-MTime: accepted``. A ``Content-Range`` (a partial
upload) is refused with 400, as RFC 7231 section 4.3.4 asks: stored as the whole content, the
piece would replace the file.

Locks are checked before the body is read and again once all of it has arrived, before the
provider swaps it in: a client that locks the resource during a slow upload of someone else's
keeps its lock, and the upload is answered 423 with the old content untouched. A body of at most
:data:`SMALL_BODY` bytes with a ``Content-Length`` is read first and the locks checked once: it has
usually arrived with the request, so refusing before reading it saves nothing, while each check
is a read of the lock storage (a new file's parent is checked in the same read).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from shallot.dav.body import body_chunks, content_length
from shallot.dav.errors import DAVError, empty_response

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from _typeshed.wsgi import WSGIApplication

    from shallot.dav.handlers.context import DAVRequest

__all__ = ["SMALL_BODY", "checked_at_end", "handle", "modification_time"]

SMALL_BODY = 64 * 1024
"""The largest body (with a ``Content-Length``) read before the locks are checked, once."""


def modification_time(request: DAVRequest) -> float | None:
    """The ``X-OC-Mtime`` header as seconds since the epoch, or ``None``; 400 when malformed."""
    value = request.header("HTTP_X_OC_MTIME")
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        raise DAVError(400, "X-OC-Mtime is not a number of seconds") from None
    if not math.isfinite(seconds) or not 0 <= seconds < 2**40:
        raise DAVError(400, "X-OC-Mtime is out of range")
    return seconds


def handle(request: DAVRequest) -> WSGIApplication:
    """Store the body as the request's resource (see the module documentation)."""
    if "HTTP_CONTENT_RANGE" in request.environ:
        raise DAVError(400, "a PUT with Content-Range (a partial upload) is not supported")
    request.check_writable_share()
    info = request.info()
    if info is not None and info.is_collection:
        raise DAVError(405, "PUT cannot replace a collection")
    request.check_conditions(info)

    def check_locks() -> None:
        if info is None:
            request.check_member_locks(request.target)
        else:
            request.check_locks(request.url)

    modified = modification_time(request)
    size = content_length(request.environ)
    chunks: Iterable[bytes]
    if size is not None and size <= SMALL_BODY:
        chunks = list(body_chunks(request.environ))
        check_locks()
    else:
        check_locks()
        chunks = checked_at_end(body_chunks(request.environ), check_locks)
    written = request.provider.write(request.path, chunks, modified=modified, size=size)
    headers = [("ETag", f'"{written.etag}"')]
    if modified is not None:
        headers.append(("X-OC-MTime", "accepted"))
    return empty_response(201 if written.created else 204, headers)


def checked_at_end(chunks: Iterable[bytes], check: Callable[[], None]) -> Iterator[bytes]:
    """``chunks``, then ``check()`` once the last has been taken: an error it raises reaches the
    provider before it stores anything."""
    yield from chunks
    check()
