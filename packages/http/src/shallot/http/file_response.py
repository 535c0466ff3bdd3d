"""Files sent from disk: validators, conditional requests and ranges, in constant memory.

:class:`FileResponse` opens its file only when it is sent, takes ``Content-Length``,
``Last-Modified`` and a strong ``ETag`` from that open file's status, and answers conditional
requests (304, 412) and range requests (206, 416) itself. The body is read in chunks, through the
server's ``wsgi.file_wrapper`` when the whole file goes out, so a file of any size costs one
chunk of memory; the file is closed when the server closes the body, whatever happened.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from typing import TYPE_CHECKING, BinaryIO

from .conditional import Precondition, evaluate_preconditions
from .dates import http_date, parse_http_date
from .etags import make_etag, parse_etag
from .exceptions import forbidden, http_error, not_found
from .partial import (
    _PARTIAL_STATUS,
    Byteranges,
    _not_satisfiable,
    _single_range_headers,
    requested_ranges,
)
from .ranges import RangeNotSatisfiable
from .response import (
    BaseResponse,
    NotModifiedResponse,
    _with_content_length,
    _without_content_fields,
)
from .streaming import _StreamBody

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .headers import Headers
    from .ranges import ByteRange
    from .types import HeadersInit

__all__ = ["DEFAULT_CHUNK_SIZE", "FileResponse", "guess_content_type"]

DEFAULT_CHUNK_SIZE = 256 * 1024
"""How many bytes a :class:`FileResponse` reads at a time unless told otherwise."""

_ENCODING_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "br": "application/x-brotli",
    "compress": "application/x-compress",
}


def guess_content_type(path: str | os.PathLike[str]) -> str:
    """Guess a file's content type from its name, ``application/octet-stream`` when unknown.

    ``text/*`` types get ``; charset=utf-8``. A compressed file (``.gz``, ``.bz2``, ...) gets its
    compression's type, since it is sent as stored, not decompressed by the client.
    """
    media_type, encoding = mimetypes.guess_type(os.fspath(path), strict=False)
    if encoding is not None:
        return _ENCODING_TYPES.get(encoding, "application/octet-stream")
    if media_type is None:
        return "application/octet-stream"
    if media_type.startswith("text/"):
        return f"{media_type}; charset=utf-8"
    return media_type


def _read(file: BinaryIO, start: int, stop: int, chunk_size: int) -> Iterator[bytes]:
    file.seek(start)
    remaining = stop - start
    while remaining > 0:
        chunk = file.read(min(chunk_size, remaining))
        if not chunk:
            return
        remaining -= len(chunk)
        yield chunk


class FileResponse(BaseResponse):
    """A regular file sent from disk, answering conditional and range requests.

    The constructor checks the file: a missing one raises :class:`FileNotFoundError` (answer 404),
    a directory :class:`IsADirectoryError`, any other non-regular file :class:`ValueError`. The
    content type is guessed from the name (see :func:`guess_content_type`) unless given.

    Each time the response is sent, the file is opened and its status read: ``Content-Length``,
    ``Last-Modified`` and a strong ``ETag`` (from size, modification time and inode) come from it,
    unless :attr:`headers` already holds an ``ETag`` or ``Last-Modified``. With status 200, the
    request's preconditions are evaluated (RFC 9110 section 13.2.2): a matching
    ``If-None-Match`` or ``If-Modified-Since`` gives 304, a failing ``If-Match`` or
    ``If-Unmodified-Since`` gives 412. Then a ``GET`` with a valid ``Range`` (and a matching
    ``If-Range``, if any) gets 206 with one range or a ``multipart/byteranges`` body, or 416 with
    ``Content-Range: bytes */size`` when no range fits; an invalid ``Range`` is ignored.
    ``HEAD`` gets the headers alone. If the file has vanished or become unreadable by then, the
    answer is 404 or 403.
    """

    __slots__ = ("_chunk_size", "_path")

    def __init__(
        self,
        path: str | os.PathLike[str],
        content_type: str | None = None,
        headers: HeadersInit | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        """Check the file at ``path`` and prepare to send it; see the class documentation."""
        if type(chunk_size) is not int or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive int, not {chunk_size!r}")
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(f"cannot send a directory: {os.fspath(path)!r}")
        if not stat.S_ISREG(mode):
            raise ValueError(f"not a regular file: {os.fspath(path)!r}")
        super().__init__(content_type or guess_content_type(path), headers, 200)
        self._path = path
        self._chunk_size = chunk_size

    @property
    def path(self) -> str | os.PathLike[str]:
        """The path of the file sent."""
        return self._path

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer the request from the file as it is now; see the class documentation."""
        status = self._status_code
        if status < 200 or status == 204 or status == 304:
            start_response(self._status, _without_content_fields(self.headers))
            return []
        try:
            file: BinaryIO = open(self._path, "rb", buffering=0)  # noqa: SIM115  # the body closes it
        except (FileNotFoundError, IsADirectoryError):
            return not_found()(environ, start_response)
        except PermissionError:
            return forbidden()(environ, start_response)
        try:
            return self._answer(environ, start_response, file)
        except BaseException:
            file.close()
            raise

    def _answer(
        self, environ: WSGIEnvironment, start_response: StartResponse, file: BinaryIO
    ) -> Iterable[bytes]:
        info = os.fstat(file.fileno())
        size = info.st_size
        headers = self._headers_for(info)
        if self._status_code == 200:
            answer = self._answer_conditionally(environ, start_response, headers, file, size)
            if answer is not None:
                return answer
        start_response(self._status, _with_content_length(headers, size))
        if environ.get("REQUEST_METHOD") == "HEAD":
            file.close()
            return []
        file_wrapper = environ.get("wsgi.file_wrapper")
        if file_wrapper is not None:
            wrapped: Iterable[bytes] = file_wrapper(file, self._chunk_size)
            return wrapped
        return _StreamBody(_read(file, 0, size, self._chunk_size), file)

    def _answer_conditionally(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        headers: Headers,
        file: BinaryIO,
        size: int,
    ) -> Iterable[bytes] | None:
        outcome = evaluate_preconditions(
            environ,
            etag=parse_etag(headers["ETag"]),
            last_modified=parse_http_date(headers["Last-Modified"]),
        )
        if outcome is Precondition.NOT_MODIFIED:
            file.close()
            return NotModifiedResponse(headers)(environ, start_response)
        if outcome is Precondition.PRECONDITION_FAILED:
            file.close()
            return http_error(412)(environ, start_response)
        try:
            selected = requested_ranges(environ, headers, size)
        except RangeNotSatisfiable as error:
            file.close()
            return _not_satisfiable(start_response, headers, error)
        if selected is None:
            return None
        chunk_size = self._chunk_size
        if len(selected) == 1:
            (byte_range,) = selected
            start_response(_PARTIAL_STATUS, _single_range_headers(headers, byte_range, size))
            return _StreamBody(_read(file, byte_range.start, byte_range.stop, chunk_size), file)
        framing = Byteranges(tuple(selected), size, headers.get("Content-Type"))
        start_response(_PARTIAL_STATUS, framing.response_headers(headers))

        def read(byte_range: ByteRange) -> Iterator[bytes]:
            return _read(file, byte_range.start, byte_range.stop, chunk_size)

        return _StreamBody(framing.body(read), file)

    def _headers_for(self, info: os.stat_result) -> Headers:
        headers = self.headers.copy()
        if "ETag" not in headers:
            headers.add("ETag", str(make_etag(info.st_size, info.st_mtime_ns, info.st_ino)))
        if "Last-Modified" not in headers:
            headers.add("Last-Modified", http_date(info.st_mtime))
        headers["Accept-Ranges"] = "bytes"
        return headers
