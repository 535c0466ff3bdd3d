"""GET and HEAD: a resource's content, with ranges and conditional requests.

A provider with server-side files (:meth:`~shallot.dav.provider.DAVProvider.file_path`) answers
through :class:`shallot.http.FileResponse`: ``wsgi.file_wrapper``, ``Range`` (206, 416),
``If-*`` (304, 412), flat memory for any size. A plain GET or HEAD (no ``Range``, no ``If-*``),
the common case, is answered by :class:`PlainFileResponse`, which sends the same headers
without the machinery those need. Other providers' content is read whole and answered
the same way by :class:`shallot.http.Response`. The ``ETag`` is the resource's ``getetag``. A
collection is answered by the directory browser in front of the server; reaching here, it is 403,
unless the query asks for its RFC 4709 mount document (:mod:`shallot.dav.davmount`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, BinaryIO

from shallot.dav.davmount import davmount_response, wants_davmount
from shallot.dav.errors import DAVError
from shallot.dav.live_properties import last_modified
from shallot.http import (
    ETag,
    FileResponse,
    NotModifiedResponse,
    Precondition,
    Response,
    evaluate_preconditions,
    http_error,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from shallot.dav.handlers.context import DAVRequest

__all__ = ["PlainFileResponse", "handle"]

_CONDITIONAL = frozenset(
    (
        "HTTP_RANGE",
        "HTTP_IF_MATCH",
        "HTTP_IF_NONE_MATCH",
        "HTTP_IF_MODIFIED_SINCE",
        "HTTP_IF_UNMODIFIED_SINCE",
        "HTTP_IF_RANGE",
    )
)
CHUNK_SIZE = 256 * 1024


def handle(request: DAVRequest) -> WSGIApplication:
    """Answer GET or HEAD on the request's resource."""
    info = request.info()
    if info is None:
        raise DAVError(404)
    if info.is_collection:
        if wants_davmount(request.environ.get("QUERY_STRING", "")):
            return davmount_response(request)
        raise DAVError(403, "this server does not list collections here")
    headers = [("ETag", f'"{info.etag}"')]
    local = request.provider.file_path(request.path)
    if local is not None and _CONDITIONAL.isdisjoint(request.environ):
        return PlainFileResponse(local, info.content_type, f'"{info.etag}"')
    if local is not None:
        try:
            return FileResponse(local, info.content_type, headers)
        except (FileNotFoundError, IsADirectoryError, ValueError):
            raise DAVError(404) from None
    headers.append(("Last-Modified", last_modified(info.modified)))
    outcome = evaluate_preconditions(request.environ, etag=ETag(info.etag))
    if outcome is Precondition.NOT_MODIFIED:
        return NotModifiedResponse(headers)
    if outcome is Precondition.PRECONDITION_FAILED:
        return http_error(412)
    with request.provider.open(request.path) as stream:
        content = stream.read()
    response = Response(content, info.content_type, headers)
    response.make_partial()
    return response


class PlainFileResponse:
    """A whole file, 200, for a request without ``Range`` or ``If-*`` headers.

    Opens the file when sent (404 or 403 if it has gone or become unreadable), takes its length
    and modification time from the open file, and hands it to ``wsgi.file_wrapper`` (or reads
    it in chunks), closing it whatever happens. The ``ETag`` is the one the provider reported.
    """

    __slots__ = ("content_type", "etag", "path")

    def __init__(self, path: str, content_type: str, etag: str) -> None:
        self.path = path
        self.content_type = content_type
        self.etag = etag

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            file = open(self.path, "rb", buffering=0)  # noqa: SIM115  # the body closes it
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise DAVError(404) from None
        except PermissionError:
            raise DAVError(403) from None
        try:
            status = os.fstat(file.fileno())
            start_response(
                "200 OK",
                [
                    ("Content-Type", self.content_type),
                    ("Content-Length", str(status.st_size)),
                    ("ETag", self.etag),
                    ("Last-Modified", last_modified(status.st_mtime)),
                    ("Accept-Ranges", "bytes"),
                ],
            )
            if environ["REQUEST_METHOD"] == "HEAD":
                file.close()
                return []
            wrapper = environ.get("wsgi.file_wrapper")
            if wrapper is not None:
                wrapped: Iterable[bytes] = wrapper(file, CHUNK_SIZE)
                return wrapped
            return _FileChunks(file)
        except BaseException:
            file.close()
            raise


class _FileChunks:
    """A file read in chunks, closed with the body."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file

    def __iter__(self) -> Iterator[bytes]:
        read = self._file.read
        while chunk := read(CHUNK_SIZE):
            yield chunk

    def close(self) -> None:
        self._file.close()
